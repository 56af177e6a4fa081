import { NextRequest } from "next/server";
import { ApiError, errorResponse, errorStatus, type ErrorCode } from "@/lib/http/errors";
import { requestIdFor } from "@/lib/http/request-id";
import { parseFormBytes, parseJsonBytes, readBody, route } from "@/lib/http/route";
import { acceptsSession } from "./accounts";
import { allowHeader, authActionMethods, type AuthMethod } from "./auth-methods";
import { clientIp, limitSignIn } from "./limits";
import { handlers } from "./next-auth";
import { addressedOrigin, configuredOrigin } from "./origin";

/**
 * The email a password sign-in submitted, for its rate limit: the very value Auth.js checks. The
 * body is read as Auth.js reads it (@auth/core's getBody: JSON when the content-type mentions
 * application/json, else form fields when it mentions application/x-www-form-urlencoded, else
 * nothing), and a body that names a field twice is refused (400): Auth.js would check the last
 * value, so a limit keyed on any other one could be walked past by sending a fresh decoy email
 * first and the victim's last.
 */
function submittedEmail(type: string, body: Buffer): unknown {
  if (type.includes("application/json")) {
    const data = parseJsonBytes(body);
    return typeof data === "object" && data !== null ? (data as { email?: unknown }).email : undefined;
  }
  if (type.includes("application/x-www-form-urlencoded")) return parseFormBytes(body).email;
  return undefined;
}

/** Where Next serves Auth.js (app/api/auth/[...nextauth]). */
const AUTH_BASE = "/api/auth";

/**
 * Whether Auth.js takes this path for the password sign-in. It drops empty segments, so
 * `/callback/credentials/` and `/callback//credentials` are that action too.
 */
function isPasswordSignIn(pathname: string): boolean {
  if (!pathname.startsWith(AUTH_BASE)) return false;
  const segments = pathname.slice(AUTH_BASE.length).split("/").filter(Boolean);
  return segments.length === 2 && segments[0] === "callback" && segments[1] === "credentials";
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

/**
 * The request as the client addressed it. Auth.js builds its own URLs (OAuth `redirect_uri`, the
 * default `callbackUrl`, the providers list) from the request URL, and Next builds that from the
 * address it listens on (`http://localhost:3000/...`; its `NextURL` even writes 127.0.0.1 as
 * localhost), not from the `Host` the client used: behind a proxy, or opened as 127.0.0.1, a
 * sign-in would come back to another address, where the session cookie is not. With `trustHost`
 * the app's address is `X-Forwarded-Host` or `Host` (and `X-Forwarded-Proto`), as Auth.js itself
 * reads them for server-side sign-ins. With `AUTH_URL` (or the older `NEXTAUTH_URL`) set, next-auth
 * puts that address on the request instead, so the request is left alone; likewise when the host
 * is not a plain authority. The copy is a plain `Request`, so the address stays as sent (next-auth's
 * handlers are typed for a `NextRequest` but read its `nextUrl` only to apply `AUTH_URL`).
 */
export function atClientOrigin(request: NextRequest): NextRequest {
  if (configuredOrigin()) return request;
  const origin = addressedOrigin(request.headers, request.url);
  if (!origin) return request;
  const current = new URL(request.url);
  if (origin === current.origin) return request;
  const init: RequestInit & { duplex?: "half" } = { method: request.method, headers: request.headers, signal: request.signal };
  if (request.body) Object.assign(init, { body: request.body, duplex: "half" });
  return new Request(`${origin}${current.pathname}${current.search}`, init) as NextRequest;
}

/**
 * Auth.js checks its own CSRF token on every POST, and OAuth providers may post their answer from
 * their own origin (Google's form_post), so the route wrapper's cross-site refusal is left to it.
 */
const AUTH_JS = { crossSite: "allow" } as const;

/** Whether Auth.js takes this path for reading the session (`/session`, empty segments dropped). */
function isSessionRead(pathname: string): boolean {
  if (!pathname.startsWith(AUTH_BASE)) return false;
  const segments = pathname.slice(AUTH_BASE.length).split("/").filter(Boolean);
  return segments.length === 1 && segments[0] === "session";
}

/**
 * Auth.js answers `/session` from the token alone. A session the app no longer accepts (issued
 * before the account's password changed or it signed out of every device, signed out itself (a
 * copy of its cookie), or of an account since deleted: acceptsSession's rule) is answered `null` here too, as for a signed-out visitor,
 * and its cookie is cleared instead of renewed. A database that cannot be read is this request's
 * error (503 from the route wrapper), never a sign-out.
 */
async function withoutRevokedSession(res: Response): Promise<Response> {
  if (res.status !== 200) return res;
  const session: unknown = await res
    .clone()
    .json()
    .catch(() => null);
  const user = (session as { user?: { id?: unknown; sv?: unknown; sid?: unknown } } | null)?.user;
  const id = Number(user?.id);
  if (!user || !(Number.isSafeInteger(id) && id > 0)) return res;
  if ((await acceptsSession({ id, sv: typeof user.sv === "number" ? user.sv : 0, sid: typeof user.sid === "string" ? user.sid : undefined })) === true) return res;
  const headers = new Headers(res.headers);
  headers.delete("set-cookie");
  headers.delete("content-length");
  for (const cookie of res.headers.getSetCookie()) headers.append("set-cookie", /session-token/.test(cookie.split("=", 1)[0]) ? expired(cookie) : cookie);
  return new Response("null", { status: 200, headers });
}

/** The same cookie (name, path, flags), emptied and expired. */
function expired(cookie: string): string {
  const [pair, ...attributes] = cookie.split(";").map((part) => part.trim());
  const kept = attributes.filter((a) => !/^(expires|max-age)=/i.test(a));
  return [`${pair.slice(0, pair.indexOf("="))}=`, ...kept, "Expires=Thu, 01 Jan 1970 00:00:00 GMT", "Max-Age=0"].join("; ");
}

/** The methods the Auth.js action a request names is served with; GET and POST for a path naming none (Auth.js answers it). */
const methodsFor = (request: Request) => authActionMethods(new URL(request.url).pathname, AUTH_BASE) ?? (["GET", "POST"] as const);

function methodNotAllowed(request: Request, methods: readonly AuthMethod[]): ApiError {
  return new ApiError("method_not_allowed", `${request.method} is not supported here; use ${methods.join(" or ")}`, undefined, { allow: allowHeader(methods) });
}

/** 405 for an Auth.js action this method is not served with (auth-methods.ts); Auth.js answers the rest. */
function refuseUnservedMethod(request: Request, method: AuthMethod): void {
  const methods = methodsFor(request);
  if (!methods.includes(method)) throw methodNotAllowed(request, methods);
}

/** GET /api/auth/* — Auth.js (session, csrf, providers, OAuth callbacks), with the API's error body and x-request-id. */
export const handleAuthGet = route(async ({ request }) => {
  refuseUnservedMethod(request, "GET");
  const res = await withErrorBody(await handlers.GET(atClientOrigin(request as NextRequest)));
  return isSessionRead(new URL(request.url).pathname) ? withoutRevokedSession(res) : res;
}, AUTH_JS);

/**
 * POST /api/auth/* — Auth.js, with the API's body limit (413 past 64 KB) and password sign-ins
 * (`/callback/credentials`) rate-limited first: over the limit the API answers 429 with
 * Retry-After instead of checking the password, and a body naming a field twice is a 400. Auth.js
 * reads the body as it arrived.
 */
export const handleAuthPost = route(async ({ request }) => {
  refuseUnservedMethod(request, "POST");
  const body = await readBody(request);
  if (isPasswordSignIn(new URL(request.url).pathname)) {
    await limitSignIn(submittedEmail(request.headers.get("content-type") ?? "", body), clientIp(request.headers));
  }
  const copy = new NextRequest(request.url, { method: "POST", headers: request.headers, body: new Uint8Array(body), signal: request.signal });
  return withErrorBody(await handlers.POST(atClientOrigin(copy)));
}, AUTH_JS);

/**
 * HEAD /api/auth/* — what GET answers, without the body (Auth.js itself refuses HEAD with a 400;
 * Next would hand it the HEAD request as it is).
 */
export const handleAuthHead = route(async ({ request }) => {
  refuseUnservedMethod(request, "GET");
  const asGet = new NextRequest(request.url, { method: "GET", headers: request.headers, signal: request.signal });
  const answer = await withErrorBody(await handlers.GET(atClientOrigin(asGet)));
  const res = isSessionRead(new URL(request.url).pathname) ? await withoutRevokedSession(answer) : answer;
  return new Response(null, { status: res.status, statusText: res.statusText, headers: res.headers });
}, AUTH_JS);

/** OPTIONS /api/auth/* — 204 with the methods the action is served with (every API route's OPTIONS). */
export function handleAuthOptions(request: Request): Response {
  return new Response(null, { status: 204, headers: { allow: allowHeader(methodsFor(request)), "x-request-id": requestIdFor(request.headers) } });
}

/** PUT, PATCH and DELETE /api/auth/* — 405 with the methods the action is served with. */
const refuseOther = route(({ request }) => {
  throw methodNotAllowed(request, methodsFor(request));
}, AUTH_JS);
export const authOtherMethods = { PUT: refuseOther, PATCH: refuseOther, DELETE: refuseOther };
