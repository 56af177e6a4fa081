import { moviesCachedSince, TTL_MS } from "@/lib/catalog/movie-cache";
import { getEnv } from "@/lib/env";
import type { Recommendations } from "./serve";

// A per-process memo of finished top-k lists from the model's cache, for the serving hot path.
// It never decides what is fresh: serving reads the user's newest interaction from the database
// on every request and uses this memo only when that read says the model's cached list still
// applies (the user has not acted since training). The key carries the model version, so a
// promote, retrain or rollback (the shared serving pointer) starts new entries at once; an entry
// expires with the oldest movie row it was built from (the movie-facts cache's lifetime), so
// titles and posters changed by a crawl show up exactly as soon as they would without the memo.
// Losing it changes nothing but speed; many instances each keep their own. The lists are frozen:
// every caller shares them.

type Items = Recommendations["items"];
type Entry = { items: Items; expiresAt: number; bytes: number };

const entries = new Map<string, Entry>();
let bytes = 0;
let hits = 0;
let misses = 0;
/** The JSON text of each memoised list, so a response can reuse it instead of re-encoding it. */
const jsonOf = new WeakMap<object, string>();

function key(versionId: number, userId: number, k: number): string {
  return `${versionId}:${userId}:${k}`;
}

function drop(k: string, entry: Entry): void {
  entries.delete(k);
  bytes -= entry.bytes;
}

/** The memoised list for (version, user, k), or undefined (absent, expired or memo turned off). */
export function getCachedList(versionId: number, userId: number, k: number, now = Date.now()): Items | undefined {
  const id = key(versionId, userId, k);
  const entry = entries.get(id);
  if (entry && now >= entry.expiresAt) drop(id, entry);
  else if (entry) {
    hits++;
    return entry.items;
  }
  misses++;
  return undefined;
}

/**
 * Remember a finished list (built from the movie-facts cache just now); returns the frozen copy
 * to serve. Past the RECOMMEND_MEMO_MB budget the oldest entries go first.
 */
export function cacheList(versionId: number, userId: number, k: number, items: Items, now = Date.now()): Items {
  const budget = getEnv().RECOMMEND_MEMO_MB * 1024 * 1024;
  if (budget === 0) return items;
  const frozen = Object.freeze(
    items.map((item) => Object.freeze({ ...item, genres: Object.freeze([...item.genres]), reason: Object.freeze({ ...item.reason }) })),
  ) as Items;
  const json = JSON.stringify(frozen);
  // Rough heap cost: the text plus the objects, which take about twice the text's length.
  const size = json.length * 3 + 200;
  if (size > budget) return items;
  const id = key(versionId, userId, k);
  const old = entries.get(id);
  if (old) drop(id, old);
  for (const [oldest, entry] of entries) {
    if (bytes + size <= budget) break;
    drop(oldest, entry);
  }
  const movieIds = items.flatMap((i) => (i.reason.type === "because_you_watched" ? [i.id, i.reason.movieId] : [i.id]));
  jsonOf.set(frozen, json);
  entries.set(id, { items: frozen, expiresAt: moviesCachedSince(movieIds, now) + TTL_MS, bytes: size });
  bytes += size;
  return frozen;
}

/** The JSON text of a list served from the memo (undefined for any other list). */
export function cachedListJson(items: object): string | undefined {
  return jsonOf.get(items);
}

/** Forget every memoised list (tests). */
export function clearListCache(): void {
  entries.clear();
  bytes = 0;
}

/** Size now, and lookups answered (hits) or not (misses) since the process started. */
export function listCacheStats(): { entries: number; bytes: number; hits: number; misses: number } {
  return { entries: entries.size, bytes, hits, misses };
}
