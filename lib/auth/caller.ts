import { verifyApiKey, type PublicApiKey } from "@/lib/apikeys";
import { ApiError } from "@/lib/http/errors";
import type { SessionUser } from "./accounts";
import { isBearerAuthorization } from "./bearer";
import { getSessionUser } from "./guards";

export type Caller = { kind: "user"; user: SessionUser } | { kind: "apiKey"; key: PublicApiKey };

const INVALID_KEY = new ApiError("unauthorized", "The API key is invalid or has been revoked.", undefined, {
  "www-authenticate": 'Bearer error="invalid_token"',
});

function bearerToken(request: Request): string | null | undefined {
  const header = request.headers.get("authorization");
  // no Authorization header, or another scheme: a browser attaches `Basic` credentials to every
  // same-origin fetch on a site behind HTTP basic auth (a staging site), which is not an API key
  if (!isBearerAuthorization(header)) return undefined;
  return /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] ?? null;
}

/**
 * Who is calling: an API key when the request has `Authorization: Bearer ...`, otherwise the
 * session's account; null when neither is valid. A request that sends a Bearer header is judged by
 * it alone, never silently by a cookie that happens to ride along; another scheme (`Basic`, from
 * a proxy's login) is not ours and is left to the proxy.
 */
export async function getCaller(request: Request): Promise<Caller | null> {
  const token = bearerToken(request);
  if (token !== undefined) {
    const key = token ? await verifyApiKey(token) : null;
    return key ? { kind: "apiKey", key } : null;
  }
  const user = await getSessionUser();
  return user ? { kind: "user", user } : null;
}

/** `getCaller`, or ApiError `unauthorized` (401) saying whether the key was bad or missing. */
export async function requireCaller(request: Request): Promise<Caller> {
  const caller = await getCaller(request);
  if (caller) return caller;
  if (bearerToken(request) !== undefined) throw INVALID_KEY;
  throw new ApiError("unauthorized", "Sign in or send an API key (Authorization: Bearer mk_...).", undefined, {
    "www-authenticate": "Bearer",
  });
}
