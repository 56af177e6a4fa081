import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { forgetCatalog, latestCatalogGeneration } from "@/lib/catalog/generation";
import { MAX_AGE_MS } from "@/lib/catalog/movie-cache";
import { resetEnvForTests } from "@/lib/env";
import { cachedListJson, cacheList, clearListCache, getCachedList, listCacheStats, memoEntryBytes } from "@/lib/recs/list-cache";
import type { Recommendations } from "@/lib/recs/serve";

type Items = Recommendations["items"];

function items(n: number, seed = 1): Items {
  // ids of one width, so every list of n items has the same encoded size
  return Array.from({ length: n }, (_, i) => ({
    id: 100_000 + seed * 100 + i,
    title: `Movie "${seed}-${i}" \u00e9`,
    year: 2000 + i,
    genres: ["Drama", "Comedy"],
    posterUrl: `/api/posters/${100_000 + seed * 100 + i}`,
    posterFallbackUrl: `/api/posters/${100_000 + seed * 100 + i}`,
    score: 1 / (i + 1),
    rank: i + 1,
    reason: i % 2 ? { type: "popular" as const } : { type: "because_you_watched" as const, movieId: 7, title: "Anchor" },
  }));
}

const NOW = 1_800_000_000_000;
const G = latestCatalogGeneration;

beforeEach(() => {
  delete process.env.RECOMMEND_MEMO_MB;
  resetEnvForTests();
  clearListCache();
});
afterEach(() => {
  delete process.env.RECOMMEND_MEMO_MB;
  resetEnvForTests();
});

describe("memo of finished top-k lists", () => {
  it("returns a frozen copy with the same content and its JSON text", () => {
    const list = items(10);
    const served = cacheList(1, 42, 10, list, G(), NOW);
    expect(served).not.toBe(list);
    expect(served).toEqual(list);
    expect(Object.isFrozen(served) && Object.isFrozen(served[0]) && Object.isFrozen(served[0].genres) && Object.isFrozen(served[0].reason)).toBe(true);
    expect(getCachedList(1, 42, 10, G(), NOW + 1)).toBe(served);
    expect(cachedListJson(served)).toBe(JSON.stringify(list));
    // the caller's list is not the memo's: changing it changes nothing served
    list[0].title = "changed";
    expect(getCachedList(1, 42, 10, G(), NOW + 1)?.[0].title).toBe('Movie "1-0" \u00e9');
    expect(cachedListJson(list)).toBeUndefined();
  });

  it("keys by model version, user and k, and counts hits and misses", () => {
    const before = listCacheStats();
    cacheList(1, 42, 10, items(10), G(), NOW);
    expect(getCachedList(2, 42, 10, G(), NOW)).toBeUndefined();
    expect(getCachedList(1, 43, 10, G(), NOW)).toBeUndefined();
    expect(getCachedList(1, 42, 5, G(), NOW)).toBeUndefined();
    expect(getCachedList(1, 42, 10, G(), NOW)).toHaveLength(10);
    const after = listCacheStats();
    expect([after.hits - before.hits, after.misses - before.misses]).toEqual([1, 3]);
    // one entry per (user, k): a list for another version (a promotion, another arm) replaces it
    const entries = listCacheStats().entries;
    const v2 = cacheList(2, 42, 10, items(10), G(), NOW);
    expect(getCachedList(2, 42, 10, G(), NOW)).toBe(v2);
    expect(getCachedList(1, 42, 10, G(), NOW)).toBeUndefined();
    expect(listCacheStats().entries).toBe(entries);
    // the largest user id and k make distinct keys from their neighbours
    const top = 2_147_483_647;
    cacheList(1, top, 100, items(3), G(), NOW);
    cacheList(1, top - 1, 100, items(4), G(), NOW);
    cacheList(1, top, 99, items(5), G(), NOW);
    expect([getCachedList(1, top, 100, G(), NOW), getCachedList(1, top - 1, 100, G(), NOW), getCachedList(1, top, 99, G(), NOW)].map((l) => l?.length)).toEqual([3, 4, 5]);
    // a k the key has no room for is served but not kept
    const wide = items(3);
    expect(cacheList(1, 42, 200, wide, G(), NOW)).toBe(wide);
    expect(getCachedList(1, 42, 200, G(), NOW)).toBeUndefined();
    expect(getCachedList(1, 43, 200 - 128, G(), NOW)).toBeUndefined();
  });

  it("expires with the movie rows it was built from (nothing cached: from when it was built)", () => {
    cacheList(1, 42, 10, items(10), G(), NOW);
    expect(getCachedList(1, 42, 10, G(), NOW + MAX_AGE_MS - 1)).toBeDefined();
    expect(getCachedList(1, 42, 10, G(), NOW + MAX_AGE_MS)).toBeUndefined();
    expect(listCacheStats().entries).toBe(0);
  });

  it("keeps within its memory budget by dropping the oldest lists first", () => {
    process.env.RECOMMEND_MEMO_MB = "1";
    resetEnvForTests();
    const perEntry = memoEntryBytes(JSON.stringify(items(50)));
    const fit = Math.floor((1024 * 1024) / perEntry);
    for (let user = 1; user <= fit + 5; user++) cacheList(1, user, 50, items(50, user), G(), NOW);
    const stats = listCacheStats();
    expect(stats.entries).toBe(fit);
    expect(stats.bytes).toBeLessThanOrEqual(1024 * 1024);
    for (let user = 1; user <= 5; user++) expect(getCachedList(1, user, 50, G(), NOW)).toBeUndefined();
    expect(getCachedList(1, fit + 5, 50, G(), NOW)).toBeDefined();
    expect(getCachedList(1, 6, 50, G(), NOW)).toBeDefined();
  });

  it("counts an entry by its text: 2.5 bytes a character, 3.5 when the text needs two-byte characters", () => {
    expect(memoEntryBytes("x".repeat(1000))).toBe(2_700);
    expect(memoEntryBytes("\u00e9".repeat(1000))).toBe(2_700);
    expect(memoEntryBytes(`${"x".repeat(999)}\u4e16`)).toBe(3_700);
  });

  it("replacing a list does not count it twice", () => {
    cacheList(1, 42, 10, items(10), G(), NOW);
    const once = listCacheStats();
    cacheList(1, 42, 10, items(10, 2), G(), NOW);
    expect(listCacheStats()).toMatchObject({ entries: once.entries, bytes: once.bytes });
    expect(getCachedList(1, 42, 10, G(), NOW)?.[0].id).toBe(100_200);
  });

  it("is off at RECOMMEND_MEMO_MB=0", () => {
    process.env.RECOMMEND_MEMO_MB = "0";
    resetEnvForTests();
    const list = items(10);
    expect(cacheList(1, 42, 10, list, G(), NOW)).toBe(list);
    expect(getCachedList(1, 42, 10, G(), NOW)).toBeUndefined();
    expect(listCacheStats()).toMatchObject({ entries: 0, bytes: 0 });
  });

  it("keeps a list only for the catalog generation it was built under", () => {
    const g = G();
    cacheList(1, 42, 10, items(10), g, NOW);
    expect(getCachedList(1, 42, 10, g, NOW)).toBeDefined();
    forgetCatalog(); // the catalog changed
    const next = G();
    expect(next).toBeGreaterThan(g);
    // a list built under the old generation is served by its builder but not kept
    const late = items(10, 3);
    expect(cacheList(1, 43, 10, late, g, NOW)).toBe(late);
    expect(getCachedList(1, 42, 10, next, NOW)).toBeUndefined();
    expect(listCacheStats().entries).toBe(0);
    cacheList(1, 42, 10, items(10), next, NOW);
    // a slow request still holding the old generation misses, and does not empty the memo
    expect(getCachedList(1, 42, 10, g, NOW)).toBeUndefined();
    expect(getCachedList(1, 42, 10, next, NOW)).toBeDefined();
  });
});
