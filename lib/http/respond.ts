/** Public, non-personalised data: shared caches may keep it briefly. */
export function publicJson(data: unknown, maxAge = 60): Response {
  return Response.json(data, {
    headers: { "cache-control": `public, max-age=${maxAge}, stale-while-revalidate=${maxAge * 5}` },
  });
}

/** Personal or live data already encoded as JSON text: never cached. */
export function privateJsonText(text: string): Response {
  return new Response(text, { headers: { "content-type": "application/json", "cache-control": "no-store" } });
}

/** Personal or live data: never cached. */
export function privateJson(data: unknown, init: { status?: number } = {}): Response {
  return Response.json(data, { status: init.status ?? 200, headers: { "cache-control": "no-store" } });
}
