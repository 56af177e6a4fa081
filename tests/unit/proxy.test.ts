import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "@/proxy";

// NextResponse.next({ request: { headers } }) hands the layouts a request header through these
// response headers; read back what the admin and account layouts will see as x-matinee-path.
function requestedPath(url: string): string | null {
  const res = proxy(new NextRequest(url));
  return res.headers.get("x-middleware-request-x-matinee-path");
}

describe("proxy: the page a signed-out visitor asked for", () => {
  it("passes an admin or account page on with its query, so sign-in comes back to it", () => {
    expect(requestedPath("http://x/admin/runs?compare=3,5")).toBe("/admin/runs?compare=3,5");
    expect(requestedPath("http://x/admin")).toBe("/admin");
    expect(requestedPath("http://x/me/watchlist?page=2")).toBe("/me/watchlist?page=2");
    expect(requestedPath("http://x/onboarding?next=%2Fmovies%2F603")).toBe("/onboarding?next=%2Fmovies%2F603");
  });

  it("sets it from the path requested, whatever header the client sent", () => {
    const res = proxy(new NextRequest("http://x/admin/jobs", { headers: { "x-matinee-path": "//evil.example" } }));
    expect(res.headers.get("x-middleware-request-x-matinee-path")).toBe("/admin/jobs");
  });
});
