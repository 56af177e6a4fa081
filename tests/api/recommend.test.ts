import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as similar } from "@/app/api/movies/[id]/similar/route";
import { GET as models } from "@/app/api/models/route";
import { GET as ready } from "@/app/api/health/ready/route";
import { GET as recommendByPath } from "@/app/api/recommend/[userId]/route";
import { POST as batch } from "@/app/api/recommend/batch/route";
import { GET as recommend } from "@/app/api/recommend/route";
import { CHECK_MS, markCatalogChanged } from "@/lib/catalog/generation";
import { MAX_AGE_MS } from "@/lib/catalog/movie-cache";
import { getDb, isPostgres, transaction } from "@/lib/db";
import { appState, interactions, movies } from "@/lib/db/schema";
import { resetEnvForTests } from "@/lib/env";
import { lookForActivity, resetActivityForTests } from "@/lib/interactions/activity";
import { recordInteraction, upsertInteractions } from "@/lib/interactions/queries";
import { createModelVersion } from "@/lib/mlops/registry";
import { getUserHistory } from "@/lib/interactions/training-data";
import { encodeRecommendations } from "@/lib/recs/api";
import { cachedListJson, clearListCache, listCacheStats } from "@/lib/recs/list-cache";
import { recommendForUser } from "@/lib/recs/serve";
import { forgetReverseNeighborIndexes, getReverseNeighborIndex, peekReverseNeighborIndex } from "@/lib/recs/neighbor-index";
import { recommendationResponseSchema } from "@/lib/recs/schemas";
import { call, expectErrorShape } from "../helpers/call";
import { changedSignal } from "../helpers/changed-interaction";
import { useTrainedDb } from "../helpers/trained-db";

let env: Awaited<ReturnType<typeof useTrainedDb>>;
beforeAll(async () => {
  env = await useTrainedDb();
}, 120_000);
afterAll(() => env.cleanup());

describe("GET /api/recommend", () => {
  it("serves a known user from the model cache with reasons", async () => {
    const { status, json, headers } = await call(recommend, "/api/recommend?userId=3&k=8");
    expect(status).toBe(200);
    expect(headers.get("cache-control")).toBe("no-store");
    const body = recommendationResponseSchema.parse(json);
    expect(body).toMatchObject({ userId: 3, source: "model", modelVersion: env.trained.versionId });
    expect(body.items).toHaveLength(8);
    expect(body.items.map((i) => i.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(body.items.some((i) => i.reason.type === "because_you_watched")).toBe(true);
    const scores = body.items.map((i) => i.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("answers the path form identically", async () => {
    const a = await call(recommend, "/api/recommend?userId=3&k=5");
    const b = await call(recommendByPath, "/api/recommend/3?k=5", { params: { userId: "3" } });
    expect(b.json.items).toEqual(a.json.items);
  });

  it("filters by genre and excludes ids", async () => {
    const all = await call(recommend, "/api/recommend?userId=4&k=5");
    const firstId = all.json.items[0].id;
    const ex = await call(recommend, `/api/recommend?userId=4&k=5&exclude=${firstId}`);
    expect(ex.json.items.map((i: { id: number }) => i.id)).not.toContain(firstId);
    const drama = await call(recommend, "/api/recommend?userId=4&k=5&genre=Drama");
    expect(drama.json.items.length).toBeGreaterThan(0);
    expect(drama.json.items.every((i: { genres: string[] }) => i.genres.includes("Drama"))).toBe(true);
  });

  it("tops up to k with popular picks past the model's cached top-N (30 here), unseen and not repeated", async () => {
    const { json } = await call(recommend, "/api/recommend?userId=3&k=100");
    const body = recommendationResponseSchema.parse(json);
    expect(body.source).toBe("model");
    expect(body.items).toHaveLength(100);
    expect(body.items.map((i) => i.rank)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(new Set(body.items.map((i) => i.id)).size).toBe(100);
    const model = body.items.filter((i) => i.reason.type !== "popular" || i.score > 0);
    expect(model.length).toBeGreaterThan(0);
    expect(model.length).toBeLessThanOrEqual(30);
    const filled = body.items.slice(model.length);
    expect(filled.every((i) => i.reason.type === "popular" && i.score === 0)).toBe(true);
    const seen = new Set((await getUserHistory(3)).map((h) => h.movieId));
    expect(filled.filter((i) => seen.has(i.id))).toEqual([]);
    // the first 30 are the model's list as a shorter request gets it
    const short = await call(recommend, "/api/recommend?userId=3&k=30");
    expect(body.items.slice(0, model.length).map((i) => i.id)).toEqual(short.json.items.slice(0, model.length).map((i: { id: number }) => i.id));
  });

  it("still answers k items when exclude removes some of the model's list, or k passes it", async () => {
    const full = (await call(recommend, "/api/recommend?userId=5&k=30")).json;
    expect(full.items).toHaveLength(30);
    const dropped: number = full.items[3].id;
    // an id from the list; an id that is no movie at all
    for (const [k, excluded] of [[30, dropped], [60, dropped], [60, 1]]) {
      const body = recommendationResponseSchema.parse((await call(recommend, `/api/recommend?userId=5&k=${k}&exclude=${excluded}`)).json);
      const ids = body.items.map((i) => i.id);
      expect(ids, `k=${k} exclude=${excluded}`).toHaveLength(k);
      expect(new Set(ids).size).toBe(k);
      expect(ids).not.toContain(excluded);
    }
  });

  it("fills a genre-filtered list to k with movies of that genre", async () => {
    const { json } = await call(recommend, "/api/recommend?userId=4&k=40&genre=Western");
    const body = recommendationResponseSchema.parse(json);
    expect(body.items).toHaveLength(40);
    expect(body.items.every((i) => i.genres.includes("Western"))).toBe(true);
    expect(new Set(body.items.map((i) => i.id)).size).toBe(40);
  });

  it("gives an unknown user popular picks", async () => {
    const { status, json } = await call(recommend, "/api/recommend?userId=987654&k=5");
    expect(status).toBe(200);
    expect(json.source).toBe("popular");
    expect(json.items).toHaveLength(5);
    expect(json.items[0].reason).toEqual({ type: "popular" });
    // scored 1/rank, as the OpenAPI description says
    json.items.forEach((item: { score: number }, i: number) => expect(item.score).toBeCloseTo(1 / (i + 1), 6));
  });

  it("folds in a new rating without a retrain", async () => {
    const before = await call(recommend, "/api/recommend?userId=5&k=10");
    const pick = before.json.items[0].id;
    await recordInteraction({ kind: "rating", userId: 5, movieId: pick, value: 5 });
    const after = await call(recommend, "/api/recommend?userId=5&k=10");
    expect(after.json.source).toBe("folded_in");
    expect(after.json.items.map((i: { id: number }) => i.id)).not.toContain(pick);
    expect(after.json.items).not.toEqual(before.json.items);
  });

  it("folds in the same picks from the rows and, once loaded, from the in-memory neighbour index", async () => {
    await recordInteraction({ kind: "rating", userId: 6, movieId: (await call(recommend, "/api/recommend?userId=6&k=1")).json.items[0].id, value: 4 });
    const versionId = env.trained.versionId;
    forgetReverseNeighborIndexes();
    expect(peekReverseNeighborIndex(versionId)).toBeNull(); // not loaded in this process now (a load starts)
    forgetReverseNeighborIndexes(); // so the next request is served from the rows
    const fromRows = await call(recommend, "/api/recommend?userId=6&k=12");
    const index = await getReverseNeighborIndex(versionId);
    expect(index.candidates.length).toBeGreaterThan(0);
    expect(peekReverseNeighborIndex(versionId)).toBe(index);
    const fromIndex = await call(recommend, "/api/recommend?userId=6&k=12");
    expect(fromRows.json.source).toBe("folded_in");
    expect(fromIndex.json.source).toBe("folded_in");
    expect(fromIndex.json.items.map((i: { id: number }) => i.id)).toEqual(fromRows.json.items.map((i: { id: number }) => i.id));
    expect(fromIndex.json.items.map((i: { score: number }) => i.score)).toEqual(fromRows.json.items.map((i: { score: number }) => i.score));
  });

  it.each([
    "",
    "userId=abc",
    "userId=0",
    "userId=-5",
    "userId=1.5",
    "userId=1e3",
    "userId=99999999999",
    "userId=1&userId=2",
    "userId=1&k=0",
    "userId=1&k=101",
    "userId=1&k=NaN",
    "userId=1&exclude=a,b",
    "userId=1&exclude=5,2147483648", // past every movie id (was: accepted up to 9999999999)
    "userId=1&genre=%F0%9F%92%A9%00",
    "userId=1&bogus=1",
  ])("rejects ?%s with 400", async (qs) => {
    const { status, json } = await call(recommend, `/api/recommend?${qs}`);
    expect(status).toBe(400);
    expect(expectErrorShape(json).code).toBe("bad_request");
  });
});

describe("memo of finished lists (repeat requests)", () => {
  afterEach(() => {
    vi.useRealTimers();
    delete process.env.RECOMMEND_MEMO_MB;
    resetEnvForTests();
  });

  it("answers a repeat request from the memo with the same body", async () => {
    clearListCache();
    const first = await call(recommend, "/api/recommend?userId=9&k=7", { headers: { "x-request-id": "r-1" } });
    expect(first.json.source).toBe("model");
    expect(listCacheStats().entries).toBe(1);
    const again = await call(recommend, "/api/recommend?userId=9&k=7", { headers: { "x-request-id": "r-1" } });
    expect(listCacheStats().entries).toBe(1);
    expect(again.text).toBe(first.text);
    // the memo's text is exactly what encoding the whole response would give
    expect(again.text).toBe(JSON.stringify(again.json));
    expect(cachedListJson((await recommendForUser({ userId: 9, k: 7 })).items)).toBe(JSON.stringify(first.json.items));
  });

  it("counts one memo lookup per request", async () => {
    clearListCache();
    await recommendForUser({ userId: 17, k: 9 }); // serving pointer, catalog and user all known
    const before = listCacheStats();
    await recommendForUser({ userId: 17, k: 8 }); // a miss: built, then kept
    await recommendForUser({ userId: 17, k: 8 }); // a hit
    const after = listCacheStats();
    expect([after.hits - before.hits, after.misses - before.misses]).toEqual([1, 1]);
  });

  it("gives the same answers with the memo off", async () => {
    clearListCache();
    const on = [];
    for (const userId of [10, 11, 12]) on.push((await call(recommend, `/api/recommend?userId=${userId}&k=6`)).json);
    process.env.RECOMMEND_MEMO_MB = "0";
    resetEnvForTests();
    clearListCache();
    for (const [i, userId] of [10, 11, 12].entries()) {
      const off = (await call(recommend, `/api/recommend?userId=${userId}&k=6`)).json;
      expect({ ...off, requestId: "" }).toEqual({ ...on[i], requestId: "" });
    }
    expect(listCacheStats().entries).toBe(0);
  });

  it("does not memoise filtered requests", async () => {
    clearListCache();
    await call(recommend, "/api/recommend?userId=13&k=5&genre=Drama");
    await call(recommend, "/api/recommend?userId=13&k=5&exclude=1,2");
    expect(listCacheStats().entries).toBe(0);
  });

  it("stops using a memoised list as soon as the user acts", async () => {
    clearListCache();
    const before = await call(recommend, "/api/recommend?userId=14&k=10");
    await call(recommend, "/api/recommend?userId=14&k=10");
    expect(before.json.source).toBe("model");
    await recordInteraction({ kind: "rating", userId: 14, movieId: before.json.items[0].id, value: 5 });
    const after = await call(recommend, "/api/recommend?userId=14&k=10");
    expect(after.json.source).toBe("folded_in");
    expect(after.json.items.map((i: { id: number }) => i.id)).not.toContain(before.json.items[0].id);
  });

  it("stops using the model's list when an import adds older history for a user it knows", async () => {
    clearListCache();
    const before = await call(recommend, "/api/recommend?userId=21&k=10");
    expect(before.json.source).toBe("model");
    const watched = before.json.items[0].id;
    // what an import writes: a row stamped long before training, in a transaction (upsertInteractions
    // changes the interactions token, so every process reads the user again)
    await transaction((tx) =>
      upsertInteractions(tx, [{ userId: 21, movieId: watched, kind: "rating", value: 5, source: "imported", createdAt: Date.UTC(2001, 0, 1) }]),
    );
    const after = await call(recommend, "/api/recommend?userId=21&k=10");
    expect(after.json.source).toBe("folded_in");
    expect(after.json.items.map((i: { id: number }) => i.id)).not.toContain(watched);
  });

  it("stops using the model's list when an import changes a row the model was trained on, keeping its time", async () => {
    clearListCache();
    const before = await call(recommend, "/api/recommend?userId=22&k=10");
    expect(before.json.source).toBe("model");
    const [seen] = await getDb().select().from(interactions).where(eq(interactions.userId, 22)).limit(1);
    // a corrected value for the same (user, movie, kind) at the same time: newer than nothing the
    // model read, so only the row's new id tells serving it changed
    const changed = changedSignal(seen);
    const written = await transaction((tx) =>
      upsertInteractions(tx, [{ userId: 22, movieId: seen.movieId, kind: seen.kind, value: seen.value, watchSeconds: seen.watchSeconds, source: "imported", createdAt: seen.createdAt, ...changed }]),
    );
    expect(written).toBe(1);
    const after = await call(recommend, "/api/recommend?userId=22&k=10");
    expect(after.json.source).toBe("folded_in");
  });

  it("shows changed movie facts at once after this process's catalog write, within CHECK_MS after another's", async () => {
    clearListCache();
    vi.useFakeTimers({ toFake: ["Date"] });
    const t0 = Date.now() + 10 * MAX_AGE_MS; // every movie row cached so far is too old by then
    vi.setSystemTime(t0);
    const first = await call(recommend, "/api/recommend?userId=15&k=4"); // reads the movie rows at t0
    const top = first.json.items[0];
    const topOf = async (k: number) => (await call(recommend, `/api/recommend?userId=15&k=${k}`)).json.items[0];
    const rename = (title: string) => getDb().update(movies).set({ title }).where(eq(movies.id, top.id));
    expect(await topOf(4)).toEqual(top);

    // a crawl page written by this process: the next request shows it
    await transaction(async (tx) => {
      await tx.update(movies).set({ title: "Renamed Here" }).where(eq(movies.id, top.id));
      await markCatalogChanged(tx);
    });
    expect(await topOf(4)).toMatchObject({ id: top.id, title: "Renamed Here" });
    expect(listCacheStats().entries).toBe(1); // the older generation's list is gone

    // written by another process (rows and a new token, as markCatalogChanged does there)
    await rename("Renamed Elsewhere");
    await getDb().update(appState).set({ value: "another-process" }).where(eq(appState.key, "catalog_generation"));
    vi.setSystemTime(t0 + CHECK_MS - 1);
    expect((await topOf(4)).title).toBe("Renamed Here"); // this process looked at t0: still trusted
    vi.setSystemTime(t0 + CHECK_MS);
    expect((await topOf(4)).title).toBe("Renamed Elsewhere");
    expect((await topOf(3)).title).toBe("Renamed Elsewhere");

    // edited outside the app (no new token): lists last as long as the rows they were built from
    await rename("Edited By Hand");
    const t1 = t0 + CHECK_MS;
    for (const at of [t1 + MAX_AGE_MS / 2, t1 + MAX_AGE_MS - 1]) {
      vi.setSystemTime(at);
      expect((await topOf(4)).title).toBe("Renamed Elsewhere");
    }
    vi.setSystemTime(t1 + MAX_AGE_MS);
    expect((await topOf(4)).title).toBe("Edited By Hand");
    await rename(top.title);
  });

  it("answers a memo hit without a promise once the user's newest interaction is known (either database)", async () => {
    clearListCache();
    resetActivityForTests();
    vi.useFakeTimers({ toFake: ["Date"] }); // the clock stands still: a look stays trusted however slow the machine
    // never looked at the newest interactions yet: the user's time is read from the database
    // (a promise on PostgreSQL, at once on SQLite)
    const built = await recommendForUser({ userId: 18, k: 5 });
    expect(recommendForUser({ userId: 18, k: 5 }) instanceof Promise).toBe(isPostgres());
    await lookForActivity();
    await recommendForUser({ userId: 18, k: 5 }); // read once more under the new look, remembered
    const again = recommendForUser({ userId: 18, k: 5 });
    expect(again instanceof Promise).toBe(false);
    expect(await again).toEqual(built);
  });

  it("answers a memo miss without a promise on SQLite once the user and the list's movies are known here", async () => {
    clearListCache();
    resetActivityForTests();
    vi.useFakeTimers({ toFake: ["Date"] });
    const built = await recommendForUser({ userId: 19, k: 5 }); // movies now in the per-process cache
    await lookForActivity();
    await recommendForUser({ userId: 19, k: 5 }); // the user's time remembered under this look
    clearListCache();
    const miss = recommendForUser({ userId: 19, k: 5 });
    expect(miss instanceof Promise).toBe(isPostgres()); // the cache-table read: at once on SQLite only
    const answer = await miss;
    expect(answer).toEqual(built);
    expect(answer.source).toBe("model");
    expect(cachedListJson(answer.items)).toBeDefined(); // and memoised again
  });

  it("encodes memoised and fresh results, with or without an experiment tag, as JSON.stringify does", async () => {
    clearListCache();
    const fresh = await recommendForUser({ userId: 16, k: 5 });
    const memo = await recommendForUser({ userId: 16, k: 5 });
    expect(cachedListJson(memo.items)).toBeDefined();
    const unknown = await recommendForUser({ userId: 987_655, k: 5 });
    for (const result of [fresh, memo, unknown, { ...memo, experiment: { id: 3, arm: 'B "x"' } }]) {
      expect(encodeRecommendations(result, 'id-"\\u2028')).toBe(JSON.stringify({ ...result, requestId: 'id-"\\u2028' }));
    }
  });
});

describe("POST /api/recommend/batch", () => {
  it("returns one result per distinct user", async () => {
    const { status, json } = await call(batch, "/api/recommend/batch", { method: "POST", body: { userIds: [1, 2, 2, 424242], k: 3 } });
    expect(status).toBe(200);
    expect(json.results.map((r: { userId: number }) => r.userId)).toEqual([1, 2, 424242]);
    expect(json.results[2].source).toBe("popular");
    expect(json.results[0].items).toHaveLength(3);
  });

  it("rejects bad bodies with the right status", async () => {
    const post = (body: unknown, headers?: Record<string, string>) => call(batch, "/api/recommend/batch", { method: "POST", body, headers });
    expect((await post("{not json")).status).toBe(400);
    expect((await post({ userIds: [] })).status).toBe(400);
    expect((await post({ userIds: Array.from({ length: 1001 }, (_, i) => i + 1) })).status).toBe(400);
    expect((await post({ userIds: ["1"] })).status).toBe(400);
    expect((await post({ userIds: [1], k: 500 })).status).toBe(400);
    expect((await post({ userIds: [1], extra: true })).status).toBe(400);
    expect((await post("x".repeat(70 * 1024))).status).toBe(413);
    expect((await post({ userIds: [1] }, { "content-type": "text/plain" })).status).toBe(415);
  });

  it("refuses k in the query (it goes in the body): it answered 10 items each, as if k were not given", async () => {
    const res = await call(batch, "/api/recommend/batch?k=1", { method: "POST", body: { userIds: [1] } });
    expect(res.status).toBe(400);
    expect(expectErrorShape(res.json)).toMatchObject({ code: "bad_request", details: { fields: { k: ["unknown field"] } } });
  });

  it("refuses a body that names a key twice (JSON.parse would keep the last one)", async () => {
    const res = await call(batch, "/api/recommend/batch", { method: "POST", body: '{"userIds":[1],"k":3,"userIds":[2]}' });
    expect(res.status).toBe(400);
    expect(expectErrorShape(res.json)).toMatchObject({ code: "bad_request", details: { fields: { userIds: ["must be given at most once"] } } });
  });
});

describe("similar movies, models, readiness", () => {
  it("lists similar movies from the neighbour cache", async () => {
    const rec = await call(recommend, "/api/recommend?userId=3&k=1");
    const id = String(rec.json.items[0].id);
    const { status, json } = await call(similar, `/api/movies/${id}/similar?k=5`, { params: { id } });
    expect(status).toBe(200);
    expect(json.source).toBe("model");
    expect(json.items.length).toBeGreaterThan(0);
    expect(json.items.map((i: { id: number }) => i.id)).not.toContain(Number(id));
    // each neighbour says which movie it is similar to (not "because you watched", which nobody did)
    const title = rec.json.items[0].title;
    for (const item of json.items) expect(item.reason).toEqual({ type: "similar_to", movieId: Number(id), title });
    // past the 30 cached neighbours: popular films of the movie's main genre, after them
    const many = await call(similar, `/api/movies/${id}/similar?k=60`, { params: { id } });
    expect(many.json.items).toHaveLength(60);
    expect(new Set(many.json.items.map((i: { id: number }) => i.id)).size).toBe(60);
    expect(many.json.items.map((i: { id: number }) => i.id)).not.toContain(Number(id));
    expect(many.json.items.slice(30).every((i: { reason: { type: string }; score: number }) => i.reason.type === "popular" && i.score === 0)).toBe(true);
    expect((await call(similar, "/api/movies/424242/similar", { params: { id: "424242" } })).status).toBe(404);
    expect((await call(similar, "/api/movies/1/similar?k=0", { params: { id: "1" } })).status).toBe(400);
  });

  it("lists model versions with the serving one marked", async () => {
    const { json } = await call(models, "/api/models");
    expect(json.servingVersion).toBe(env.trained.versionId);
    const v = json.items.find((m: { id: number }) => m.id === env.trained.versionId);
    expect(v).toMatchObject({ serving: true, stage: "production", status: "ready", algorithm: "item-knn" });
    expect(v.metrics["ndcg@10"]).toBeGreaterThan(0);
  });

  it("pages through model versions, newest first, and refuses a bad page", async () => {
    for (let i = 0; i < 2; i++) await createModelVersion({ algorithm: "popularity", params: {} });
    const all = (await call(models, "/api/models")).json;
    expect(all.nextBefore).toBeNull();
    const ids: number[] = all.items.map((m: { id: number }) => m.id);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const paged: number[] = [];
    let url = "/api/models?limit=1";
    for (let pages = 0; pages < ids.length; pages++) {
      const { status, json } = await call(models, url);
      expect(status).toBe(200);
      expect(json.items).toHaveLength(1);
      expect(json.servingVersion).toBe(env.trained.versionId);
      paged.push(json.items[0].id);
      if (json.nextBefore === null) break;
      expect(json.nextBefore).toBe(json.items[0].id);
      url = `/api/models?limit=1&before=${json.nextBefore}`;
    }
    expect(paged).toEqual(ids);
    const two = (await call(models, `/api/models?limit=2&before=${ids[0]}`)).json;
    expect(two.items.map((m: { id: number }) => m.id)).toEqual(ids.slice(1, 3));
    // the largest id a version can have: every version is older
    expect((await call(models, "/api/models?before=2147483647")).json.items.map((m: { id: number }) => m.id)).toEqual(ids);
    // past it, a 400 on both databases (PostgreSQL's integer column refused it with a 500)
    for (const bad of ["limit=0", "limit=101", "limit=1.5", "before=0", "before=abc", "before=2147483648", "before=999999999999999", "limit=1&limit=2", "page=2"]) {
      const res = await call(models, `/api/models?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(expectErrorShape(res.json).code).toBe("bad_request");
    }
  });

  it("is ready once a model serves", async () => {
    const { status, json } = await call(ready, "/api/health/ready");
    expect(status).toBe(200);
    expect(json).toMatchObject({ ready: true, servingModelVersion: env.trained.versionId });
  });
});
