import { isFresh } from "@/lib/util/fresh";
import { catalogGeneration, latestCatalogGeneration, peekCatalogGeneration } from "./generation";
import { getMoviesByIds, type MovieWithGenres } from "./queries";

// A read-through, per-process cache of movie rows for the serving hot path. Movie facts change
// only when a crawl or import runs, and every such write moves the catalog generation on
// (generation.ts), so a row is used for as long as the generation it was read under is current,
// up to MAX_AGE_MS as a backstop for writes made outside the app. It is a cache, not state:
// losing it (or running many instances, each with its own) changes nothing but speed.

export const MAX_AGE_MS = 10 * 60_000;
const MAX_ENTRIES = 50_000;
type Entry = { movie: MovieWithGenres | null; at: number; generation: number };
const cache = new Map<number, Entry>();
let cacheGeneration = -1;

/** Empty the cache when `generation` is newer than what it holds (older ones only miss). */
function forGeneration(generation: number): void {
  if (generation > cacheGeneration) {
    cache.clear();
    cacheGeneration = generation;
  }
}

function usable(hit: Entry | undefined, generation: number, now: number): hit is Entry {
  return hit !== undefined && hit.generation === generation && isFresh(hit.at, MAX_AGE_MS, now);
}

/** All of `ids` from the cache when every one is there and current, else null (no query, no await). */
export function peekMoviesCached(ids: number[]): Map<number, MovieWithGenres> | null {
  const now = Date.now();
  const generation = peekCatalogGeneration(now);
  if (generation === undefined) return null;
  forGeneration(generation);
  const out = new Map<number, MovieWithGenres>();
  for (const id of ids) {
    const hit = cache.get(id);
    if (!usable(hit, generation, now)) return null;
    if (hit.movie) out.set(id, hit.movie);
  }
  return out;
}

/**
 * When the oldest cached row among `ids` was read (now when none is cached): anything built from
 * those rows is as fresh as that, and should not outlive it.
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
  const generation = await catalogGeneration();
  const now = Date.now();
  forGeneration(generation);
  const out = new Map<number, MovieWithGenres>();
  const missing: number[] = [];
  for (const id of ids) {
    const hit = cache.get(id);
    if (usable(hit, generation, now)) {
      if (hit.movie) out.set(id, hit.movie);
    } else missing.push(id);
  }
  if (missing.length) {
    const found = new Map((await getMoviesByIds(missing)).map((m) => [m.id, m]));
    // Rows read under a generation that has since moved on are served this once, not kept.
    if (generation === latestCatalogGeneration()) {
      if (cache.size + missing.length > MAX_ENTRIES) cache.clear();
      for (const id of missing) cache.set(id, { movie: found.get(id) ?? null, at: now, generation });
    }
    for (const id of missing) {
      const movie = found.get(id);
      if (movie) out.set(id, movie);
    }
  }
  return out;
}
