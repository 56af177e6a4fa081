import { getEnv } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { isBearerAuthorization } from "./bearer";

// The app's own address, and the refusal of cross-site requests that a session cookie would
// authenticate. No Next or Auth.js imports: the route wrapper (lib/http/route.ts) runs this on
// every request.

/**
 * The origin a request was addressed to, as Auth.js takes the app's address with `trustHost`:
 * `X-Forwarded-Host` or `Host`, and `X-Forwarded-Proto` or the URL's own scheme (the first entry
 * of each). Undefined when there is no host, or the headers give more than an http(s) authority
 * (a path, query, credentials or another scheme smuggled in).
 */
export function addressedOrigin(headers: Headers, url: string): string | undefined {
  const first = (name: string) => headers.get(name)?.split(",")[0]?.trim() || undefined;
  const host = first("x-forwarded-host") ?? first("host");
  if (!host) return undefined;
  const protocol = first("x-forwarded-proto") ?? url.slice(0, Math.max(0, url.indexOf(":")));
  try {
    const parsed = new URL(`${protocol}://${host}`);
    if (!/^https?:$/.test(parsed.protocol) || parsed.username || parsed.password || parsed.pathname !== "/" || parsed.search || parsed.hash) {
      return undefined;
    }
    return parsed.origin;
  } catch {
    return undefined;
  }
}

let configured: { url: string | undefined; origin: string | undefined } | undefined;

/** The origin of `AUTH_URL` (or the older `NEXTAUTH_URL`) when one is set: Auth.js's address then. */
export function configuredOrigin(): string | undefined {
  const env = getEnv();
  const url = env.AUTH_URL ?? env.NEXTAUTH_URL;
  if (configured === undefined || configured.url !== url) configured = { url, origin: url ? new URL(url).origin : undefined };
  return configured.origin;
}

/**
 * Auth.js's session cookie: `authjs.session-token`, `__Secure-` first over HTTPS, split into
 * `.0`, `.1`... when large (what lib/auth/session.ts reads the signed-in user from).
 */
const SESSION_COOKIE = /(?:^|;)\s*(?:__Secure-)?authjs\.session-token(?:\.\d+)?=/;

/** Whether a Cookie header carries Auth.js's session cookie (valid or not: only reading it tells). */
export function hasSessionCookie(cookieHeader: string | null): boolean {
  return SESSION_COOKIE.test(cookieHeader ?? "");
}

/** Methods that change something; a browser sends `Origin` with each of them. */
const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

const CROSS_SITE_REFUSED_FIRST =
  "This request comes from another site (its Origin is not this app's) and carries a session cookie, so it was refused. ";

// Routes that take no API key: the admin's (a signed-in admin's session only), sign-up and
// Auth.js's own (a person in a browser), cron's (CRON_SECRET).
const NO_API_KEY = /^\/api\/(?:admin|auth|cron)(?:\/|$)/;

/** The refusal, with the way round it that the route takes: an API key only where the route takes one. */
export function crossSiteRefusedMessage(pathname: string): string {
  return NO_API_KEY.test(pathname)
    ? `${CROSS_SITE_REFUSED_FIRST}Send it from the app itself.`
    : `${CROSS_SITE_REFUSED_FIRST}Send it from the app itself, or without the cookie and with an API key (Authorization: Bearer mk_...).`;
}

/**
 * Refuse (ApiError `forbidden`, 403) a state-changing request that a session cookie would
 * authenticate and whose `Origin` is not the app's own: the browser attaches the cookie to a form
 * or fetch another site sends (SameSite=Lax lets a sibling subdomain's through), and only the
 * `Origin` tells the two apart. The app's own origin is `AUTH_URL`'s, or the address the request
 * came to (`addressedOrigin`). Left alone: safe methods, requests with no `Origin` (curl, servers),
 * requests without the session cookie, and `Authorization: Bearer` requests to routes that take
 * API keys (judged by the key alone; a browser cannot add that header to another site's request
 * without a CORS preflight, which Matinee never approves). Admin, auth and cron routes take no key,
 * so there the header changes nothing.
 */
export function refuseCrossSiteSession(request: Request): void {
  if (!STATE_CHANGING.has(request.method)) return;
  const origin = request.headers.get("origin");
  if (origin === null) return;
  const pathname = new URL(request.url).pathname;
  // only where the key is what is judged: admin, auth and cron routes go by the cookie whatever
  // the header says (QA: a bearer of anything let another site's admin write past this check)
  if (!NO_API_KEY.test(pathname) && isBearerAuthorization(request.headers.get("authorization"))) return;
  if (!hasSessionCookie(request.headers.get("cookie"))) return;
  if (isOwnOrigin(origin, request)) return;
  throw new ApiError("forbidden", crossSiteRefusedMessage(pathname));
}

function isOwnOrigin(origin: string, request: Request): boolean {
  let given: string;
  try {
    given = new URL(origin).origin; // "null" (a sandboxed frame, a privacy redirect) is no origin
  } catch {
    return false;
  }
  if (given === "null") return false;
  return given === configuredOrigin() || given === (addressedOrigin(request.headers, request.url) ?? new URL(request.url).origin);
}
