import { NextResponse, type NextRequest } from "next/server";

// Tell the admin layout which page was asked for, so its access check (which runs before anything
// streams, for a real 403/redirect) can send a signed-out visitor back to that page after sign-in.
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set("x-matinee-path", request.nextUrl.pathname);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ["/admin", "/admin/:path*"] };
