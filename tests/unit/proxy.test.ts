import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "@/proxy";

// NextResponse.next({ request: { headers } }) hands the layouts a request header through these
// response headers; read back what the admin and account layouts will see as x-matinee-path.
const SESSION = { cookie: "theme=dark; authjs.session-token=eyJ.x" };

function requestedPath(url: string): string | null {
  const res = proxy(new NextRequest(url, { headers: SESSION }));
  return res.headers.get("x-middleware-request-x-matinee-path");
}

describe("proxy: the page a visitor asked for", () => {
  it("sends a visitor without a session cookie to sign in, coming back to this very page", () => {
    // (a redirect of the URL's own: the layouts' redirects could be reused by the client router for
    // a sibling page, so Watchlist came back to My ratings)
    const redirect = (url: string, headers: Record<string, string> = {}) => {
      const res = proxy(new NextRequest(url, { headers }));
      const location = res.headers.get("location");
      return [res.status, location && new URL(location).origin === "http://x" ? location.slice("http://x".length) : location];
    };
    expect(redirect("http://x/me/watchlist?page=2")).toEqual([307, "/signin?callbackUrl=%2Fme%2Fwatchlist%3Fpage%3D2"]);
    expect(redirect("http://x/onboarding")).toEqual([307, "/signin?callbackUrl=%2Fonboarding"]);
    expect(redirect("http://x/admin/runs?compare=3,5")).toEqual([307, "/signin?callbackUrl=%2Fadmin%2Fruns%3Fcompare%3D3%2C5"]);
    // on the app's public address: the one a proxy forwarded, not the internal one
    expect(proxy(new NextRequest("http://10.0.0.5:3000/me/ratings", { headers: { host: "10.0.0.5:3000", "x-forwarded-host": "movies.example.com", "x-forwarded-proto": "https" } })).headers.get("location")).toBe(
      "https://movies.example.com/signin?callbackUrl=%2Fme%2Fratings",
    );
    // an area's bad callback falls back as the layouts' do
    expect(redirect("http://x/me/a/b")).toEqual([307, "/signin?callbackUrl=%2F"]);
    // a form's server action (POST) goes on to its own check, which answers the form
    expect(proxy(new NextRequest("http://x/me/account", { method: "POST" })).status).toBe(200);
    // another cookie is no session; a session cookie (valid or not) is the layouts' to judge
    expect(redirect("http://x/me/ratings", { cookie: "theme=dark" })[0]).toBe(307);
    expect(redirect("http://x/me/ratings", { cookie: "__Secure-authjs.session-token.0=x" })[0]).toBe(200);
  });

  it("passes an admin or account page on with its query, so sign-in comes back to it", () => {
    expect(requestedPath("http://x/admin/runs?compare=3,5")).toBe("/admin/runs?compare=3,5");
    expect(requestedPath("http://x/admin")).toBe("/admin");
    expect(requestedPath("http://x/me/watchlist?page=2")).toBe("/me/watchlist?page=2");
    expect(requestedPath("http://x/onboarding?next=%2Fmovies%2F603")).toBe("/onboarding?next=%2Fmovies%2F603");
  });

  it("sets it from the path requested, whatever header the client sent", () => {
    const res = proxy(new NextRequest("http://x/admin/jobs", { headers: { ...SESSION, "x-matinee-path": "//evil.example" } }));
    expect(res.headers.get("x-middleware-request-x-matinee-path")).toBe("/admin/jobs");
  });
});
