import type { NextRequest } from "next/server";
import { ApiError, errorResponse, errorStatus, type ErrorCode } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { clientIp, limitSignIn } from "./limits";
import { handlers } from "./next-auth";

async function submittedEmail(request: Request): Promise<unknown> {
  try {
    const copy = request.clone();
    const type = request.headers.get("content-type") ?? "";
    if (type.includes("application/json")) return ((await copy.json()) as { email?: unknown })?.email;
    return new URLSearchParams(await copy.text()).get("email");
  } catch {
    return undefined;
  }
}

const codeByStatus = new Map<number, ErrorCode>(Object.entries(errorStatus).map(([code, status]) => [status, code as ErrorCode]));

/**
 * Auth.js answers some requests itself with a JSON error that is not the API's error body: an
 * unknown action (`/api/auth/bogus`) is `400 "Bad request."`. Such an answer becomes the standard
 * `{ error: { code, message } }` with the same status (and any cookies Auth.js set); its other
 * answers (JSON, redirects, pages) pass through.
 */
export async function withErrorBody(res: Response): Promise<Response> {
  // a copy: Auth.js's redirects (Response.redirect) have immutable headers, and x-request-id is added to every answer
  const passThrough = () => new Response(res.body, { status: res.status, statusText: res.statusText, headers: res.headers });
  if (res.status < 400 || !(res.headers.get("content-type") ?? "").includes("application/json")) return passThrough();
  const body: unknown = await res
    .clone()
    .json()
    .catch(() => undefined);
  if (typeof body === "object" && body !== null && "error" in body) return passThrough();
  const code = codeByStatus.get(res.status) ?? (res.status >= 500 ? "internal" : "bad_request");
  const message = typeof body === "string" && body.trim() ? body.trim() : "Bad request.";
  const out = errorResponse(new ApiError(code, message));
  for (const cookie of res.headers.getSetCookie()) out.headers.append("set-cookie", cookie);
  return out;
}

/** GET /api/auth/* — Auth.js (session, csrf, providers, OAuth callbacks), with the API's error body and x-request-id. */
export const handleAuthGet = route(async ({ request }) => withErrorBody(await handlers.GET(request as NextRequest)));

/**
 * POST /api/auth/* — Auth.js, with password sign-ins (`/callback/credentials`) rate-limited
 * first: over the limit the API answers 429 with Retry-After instead of checking the password.
 */
export const handleAuthPost = route(async ({ request }) => {
  if (new URL(request.url).pathname.endsWith("/callback/credentials")) {
    await limitSignIn(await submittedEmail(request), clientIp(request.headers));
  }
  return withErrorBody(await handlers.POST(request as NextRequest));
});
