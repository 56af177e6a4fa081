/**
 * Marks a response shared caches may keep: route() leaves the caller's own `RateLimit` budget off
 * it, since a CDN would replay one client's budget to every client it answers from the copy.
 */
export const SHARED_CACHEABLE: unique symbol = Symbol("matinee.sharedCacheable");

/** Public, non-personalised data: shared caches may keep it briefly. */
export function publicJson(data: unknown, maxAge = 60): Response {
  const res = Response.json(data, {
    headers: { "cache-control": `public, max-age=${maxAge}, stale-while-revalidate=${maxAge * 5}` },
  });
  return Object.assign(res, { [SHARED_CACHEABLE]: true });
}

export function isSharedCacheable(res: Response): boolean {
  return (res as Response & { [SHARED_CACHEABLE]?: true })[SHARED_CACHEABLE] === true;
}

/** Personal or live data already encoded as JSON text: never cached. */
export function privateJsonText(text: string): Response {
  return new Response(text, { headers: { "content-type": "application/json", "cache-control": "no-store" } });
}

/** Personal or live data: never cached. */
export function privateJson(data: unknown, init: { status?: number } = {}): Response {
  return Response.json(data, { status: init.status ?? 200, headers: { "cache-control": "no-store" } });
}
