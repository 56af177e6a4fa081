import { latestCatalogGeneration } from "@/lib/catalog/generation";
import { MAX_AGE_MS, moviesCachedSince } from "@/lib/catalog/movie-cache";
import { getEnv } from "@/lib/env";
import type { Recommendations } from "./serve";

// A per-process memo of finished top-k lists from the model's cache, for the serving hot path.
// It never decides what is fresh: serving checks the user's newest interaction first
// (interactions/activity.ts) and uses this memo only when the model's cached list still applies
// (the user has not acted since training). An entry answers only for the model version it was
// built for, so a promote, retrain or rollback (the shared serving pointer) starts new entries at
// once. An entry belongs to the catalog generation it was built under (lib/catalog/generation.ts)
// and is dropped when that moves on, so titles and posters changed by a crawl show up exactly as
// soon as they would without the memo; otherwise it lasts as long as the movie rows it was built
// from (movie-cache.ts's MAX_AGE_MS) or until the memory budget needs the room. Losing it changes
// nothing but speed; many instances each keep their own. The lists are frozen: every caller
// shares them.

type Items = Recommendations["items"];
type Entry = { versionId: number; items: Items; expiresAt: number; bytes: number };

// One entry per (user, k), holding the version it was built for: a user is served one version at
// a time (the serving one, or their experiment arm's), and a number key needs no string built and
// hashed on every lookup.
const entries = new Map<number, Entry>();
let bytes = 0;
let entriesGeneration = -1;
let hits = 0;
let misses = 0;
/** The JSON text of each memoised list, so a response can reuse it instead of re-encoding it. */
const jsonOf = new WeakMap<object, string>();

const K_SLOTS = 128;

/** The entry's number, or undefined for a (user, k) the memo does not keep (k past 127, huge ids). */
function key(userId: number, k: number): number | undefined {
  const id = userId * K_SLOTS + k;
  return k >= 0 && k < K_SLOTS && Number.isSafeInteger(id) ? id : undefined;
}

function drop(k: number, entry: Entry): void {
  entries.delete(k);
  bytes -= entry.bytes;
}

/** Empty the memo when `generation` is newer than what it holds (older ones only miss). */
function forGeneration(generation: number): void {
  if (generation > entriesGeneration) {
    clearListCache();
    entriesGeneration = generation;
  }
}

/**
 * The memoised list for (version, user, k) built under catalog `generation`, or undefined (absent,
 * expired, from another generation or memo turned off).
 */
export function getCachedList(versionId: number, userId: number, k: number, generation: number, now = Date.now()): Items | undefined {
  if (generation !== entriesGeneration) forGeneration(generation);
  const id = key(userId, k);
  const entry = generation === entriesGeneration && id !== undefined ? entries.get(id) : undefined;
  if (entry && now >= entry.expiresAt) drop(id!, entry);
  else if (entry && entry.versionId === versionId) {
    hits++;
    return entry.items;
  }
  misses++;
  return undefined;
}

/**
 * Remember a finished list (built from the movie-facts cache just now, under catalog
 * `generation`); returns the frozen copy to serve. A list built under a generation that has since
 * moved on is served but not kept. Past the RECOMMEND_MEMO_MB budget the oldest entries go first.
 */
export function cacheList(versionId: number, userId: number, k: number, items: Items, generation: number, now = Date.now()): Items {
  const budget = getEnv().RECOMMEND_MEMO_MB * 1024 * 1024;
  const id = key(userId, k);
  if (budget === 0 || id === undefined || generation !== latestCatalogGeneration()) return items;
  forGeneration(generation);
  const json = JSON.stringify(items);
  const size = memoEntryBytes(json);
  if (size > budget) return items;
  // The kept copy is parsed from the text: flat strings and compact objects, about two thirds of
  // the heap a copy of the built objects took (npm run bench:memo: 7.2 vs 10.9 KB per 10-item list).
  const frozen = Object.freeze(
    (JSON.parse(json) as Items).map((item) => {
      Object.freeze(item.genres);
      Object.freeze(item.reason);
      return Object.freeze(item);
    }),
  ) as Items;
  const old = entries.get(id);
  if (old) drop(id, old);
  for (const [oldest, entry] of entries) {
    if (bytes + size <= budget) break;
    drop(oldest, entry);
  }
  const movieIds = items.flatMap((i) => (i.reason.type === "because_you_watched" ? [i.id, i.reason.movieId] : [i.id]));
  jsonOf.set(frozen, json);
  entries.set(id, { versionId, items: frozen, expiresAt: moviesCachedSince(movieIds, now) + MAX_AGE_MS, bytes: size });
  bytes += size;
  return frozen;
}

/**
 * What one memo entry counts towards RECOMMEND_MEMO_MB, from its JSON text: the text itself (one
 * byte a character, two if any character is past U+00FF), the objects parsed from it (~1.5 bytes
 * per character of text) and ~200 bytes of entry, key and map. `npm run bench:memo` compares it
 * with the heap a pass of real lists keeps (docs/benchmarks.md).
 */
export function memoEntryBytes(json: string): number {
  const width = /[^\u0000-\u00ff]/.test(json) ? 2 : 1;
  return Math.ceil(json.length * (width + 1.5)) + 200;
}

/** The JSON text of a list served from the memo (undefined for any other list). */
export function cachedListJson(items: object): string | undefined {
  return jsonOf.get(items);
}

/** Forget every memoised list (a new catalog generation; tests). */
export function clearListCache(): void {
  entries.clear();
  bytes = 0;
}

/** Size now, and lookups answered (hits) or not (misses) since the process started. */
export function listCacheStats(): { entries: number; bytes: number; hits: number; misses: number } {
  return { entries: entries.size, bytes, hits, misses };
}
