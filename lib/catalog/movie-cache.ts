import { getMoviesByIds, type MovieWithGenres } from "./queries";

// A read-through, per-process cache of movie rows for the serving hot path. Movie facts change
// only when a crawl or import runs, so a short TTL keeps every instance close to the database
// without one query per recommended item per request. It is a cache, not state: losing it (or
// running many instances, each with its own) changes nothing but speed.

export const TTL_MS = 60_000;
const MAX_ENTRIES = 50_000;
const cache = new Map<number, { movie: MovieWithGenres | null; at: number }>();

/** All of `ids` from the cache when every one is there and fresh, else null (no query, no await). */
export function peekMoviesCached(ids: number[]): Map<number, MovieWithGenres> | null {
  const now = Date.now();
  const out = new Map<number, MovieWithGenres>();
  for (const id of ids) {
    const hit = cache.get(id);
    if (!hit || now - hit.at >= TTL_MS) return null;
    if (hit.movie) out.set(id, hit.movie);
  }
  return out;
}

/**
 * When the oldest cached row among `ids` was read (now when none is cached): anything built from
 * those rows is as fresh as that, and should expire with it.
 */
export function moviesCachedSince(ids: Iterable<number>, now = Date.now()): number {
  let oldest = now;
  for (const id of ids) {
    const hit = cache.get(id);
    if (hit && hit.at < oldest) oldest = hit.at;
  }
  return oldest;
}

export async function getMoviesCached(ids: number[]): Promise<Map<number, MovieWithGenres>> {
  const now = Date.now();
  const out = new Map<number, MovieWithGenres>();
  const missing: number[] = [];
  for (const id of ids) {
    const hit = cache.get(id);
    if (hit && now - hit.at < TTL_MS) {
      if (hit.movie) out.set(id, hit.movie);
    } else missing.push(id);
  }
  if (missing.length) {
    const rows = await getMoviesByIds(missing);
    const found = new Map(rows.map((m) => [m.id, m]));
    if (cache.size + missing.length > MAX_ENTRIES) cache.clear();
    for (const id of missing) {
      const movie = found.get(id) ?? null;
      cache.set(id, { movie, at: now });
      if (movie) out.set(id, movie);
    }
  }
  return out;
}
