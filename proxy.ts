import { NextResponse, type NextRequest } from "next/server";
import { addressedOrigin, configuredOrigin, hasSessionCookie } from "@/lib/auth/origin";
import { signInPath } from "@/lib/auth/paths";
import { accountCallbackUrl, adminCallbackUrl } from "@/lib/auth/schemas";
import { ApiError, errorResponse } from "@/lib/http/errors";
import { hasValidEscapes } from "@/lib/http/path-escape";
import { requestIdFor } from "@/lib/http/request-id";

// Runs only for the paths in `config.matcher`: the admin pages, the account pages and paths with a
// "%" in them.
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (!hasValidEscapes(pathname)) return malformedPath(pathname, requestIdFor(request.headers));
  // Tell the admin and account layouts which page was asked for, query and all, so their access
  // checks (which run before anything streams, for a real 403/redirect) can send a signed-out
  // visitor back to that page after sign-in (adminCallbackUrl / accountCallbackUrl check it).
  const admin = pathname === "/admin" || pathname.startsWith("/admin/");
  if (admin || pathname === "/onboarding" || pathname.startsWith("/me/")) {
    const requested = `${pathname}${search}`;
    // No session cookie at all: to sign in from here, a redirect of this URL's own. The layouts'
    // redirects (an expired or forged cookie) are segment renders of a layout these pages share,
    // which Next's client router may reuse for a sibling page: Watchlist came back to My ratings.
    // Navigations only: a form's server action (a POST) goes on to its own check, which answers
    // the form ("Your session has ended…") rather than a redirect its fetch would follow.
    if ((request.method === "GET" || request.method === "HEAD") && !hasSessionCookie(request.headers.get("cookie"))) {
      const callbackUrl = admin ? adminCallbackUrl(requested) : accountCallbackUrl(requested);
      // Absolute (Next parses a proxy's Location as a URL: a relative one was a 500), on the app's
      // public address: AUTH_URL's, else the one the request came to (X-Forwarded-Host / Host).
      const origin = configuredOrigin() ?? addressedOrigin(request.headers, request.url) ?? request.nextUrl.origin;
      return NextResponse.redirect(new URL(signInPath(callbackUrl), origin), 307);
    }
    return withRequestedPath(request, requested);
  }
  return NextResponse.next();
}

function withRequestedPath(request: NextRequest, path: string) {
  const headers = new Headers(request.headers);
  headers.set("x-matinee-path", path);
  return NextResponse.next({ request: { headers } });
}

/** 400 for a path whose %-escapes do not decode (Next itself would answer a bare 500). */
function malformedPath(pathname: string, requestId: string): Response {
  const message = "The path has a malformed %-escape";
  if (pathname === "/api" || pathname.startsWith("/api/")) {
    const res = errorResponse(new ApiError("bad_request", message));
    res.headers.set("x-request-id", requestId);
    return res;
  }
  return new NextResponse(`Bad request: ${message.toLowerCase()}.\n`, {
    status: 400,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}

// The admin pages, the account pages, and paths that contain "%" (on the raw path): every other
// request skips the proxy. One pattern, because Next compiles each matcher into a new RegExp on
// every request.
export const config = { matcher: ["/:path(admin(?:/.*)?|me/.*|onboarding|.*%.*)"] };
