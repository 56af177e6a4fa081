import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { DELETE, POST } from "@/app/api/interactions/route";
import { createApiKey, revokeApiKey } from "@/lib/apikeys";
import { registerAccount } from "@/lib/auth/accounts";
import { readSessionClaims } from "@/lib/auth/session";
import { seedCatalog } from "@/lib/catalog/seed";
import { getDb } from "@/lib/db";
import { getUserHistory } from "@/lib/interactions/training-data";
import { getUserMovieState } from "@/lib/interactions/user-lists";
import { SCALE_MARKER_KEY } from "@/lib/simulate/scale-marker";
import { call, expectErrorShape } from "../helpers/call";
import { testingPostgres, useTempDb } from "../helpers/temp-db";

vi.mock("@/lib/auth/session", () => ({ readSessionClaims: vi.fn(async () => null) }));
const signedInAs = (id: number | null) => vi.mocked(readSessionClaims).mockResolvedValue(id === null ? null : { id });

let tmp: ReturnType<typeof useTempDb>;
let alice: number;
let bob: number;
let key: string;
beforeAll(async () => {
  tmp = useTempDb();
  await seedCatalog();
  alice = (await registerAccount({ email: "alice@example.com", password: "password-1" })).id;
  bob = (await registerAccount({ email: "bob@example.com", password: "password-2" })).id;
  key = (await createApiKey("test", alice)).key;
});
afterAll(() => tmp.cleanup());
beforeEach(() => signedInAs(null));

const post = (body: unknown, headers?: Record<string, string>) => call(POST, "/api/interactions", { method: "POST", body, headers });

describe("POST /api/interactions", () => {
  it("401 when signed out and without a key", async () => {
    const res = await post({ kind: "rating", movieId: 11, value: 4 });
    expect(res.status).toBe(401);
    expect(expectErrorShape(res.json).code).toBe("unauthorized");
  });

  it("records a signed-in user's rating, re-rating updates in place", async () => {
    signedInAs(alice);
    const first = await post({ kind: "rating", movieId: 11, value: 4 });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ userId: alice, movieId: 11, kind: "rating", value: 4 });
    await post({ kind: "rating", movieId: 11, value: 2.5 });
    await post({ kind: "watch", movieId: 12, watchSeconds: 3600 });
    await post({ kind: "watchlist", movieId: 13 });
    const history = await getUserHistory(alice);
    expect(history.map((h) => h.movieId).sort()).toEqual([11, 12, 13]);
    const removed = await post({ kind: "watchlist", movieId: 13, value: 0 });
    expect(removed.json.value).toBe(0);
    expect((await getUserHistory(alice)).map((h) => h.movieId).sort()).toEqual([11, 12]);
  });

  it("marking a film watched takes it off the user's watchlist; an API key's watch event leaves the list alone", async () => {
    signedInAs(bob);
    await post({ kind: "watchlist", movieId: 18 });
    await post({ kind: "watchlist", movieId: 19 });
    expect(await getUserMovieState(bob, 18)).toMatchObject({ inWatchlist: true, watched: false });
    expect((await post({ kind: "watch", movieId: 18 })).status).toBe(201);
    expect(await getUserMovieState(bob, 18)).toMatchObject({ inWatchlist: false, watched: true });
    expect((await getUserMovieState(bob, 19)).inWatchlist).toBe(true); // only that film
    signedInAs(null);
    expect((await post({ kind: "watch", movieId: 19, userId: bob }, { authorization: `Bearer ${key}` })).status).toBe(201);
    expect(await getUserMovieState(bob, 19)).toMatchObject({ inWatchlist: true, watched: true });
  });

  it("a signed-in user cannot write for someone else", async () => {
    signedInAs(alice);
    const res = await post({ kind: "like", movieId: 11, userId: bob });
    expect(res.status).toBe(403);
  });

  it("an API key writes for the user it names, and stops working once revoked", async () => {
    const auth = { authorization: `Bearer ${key}` };
    const ok = await post({ kind: "like", movieId: 12, userId: bob }, auth);
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ userId: bob, kind: "like", value: 1 });
    const noUser = await post({ kind: "like", movieId: 12 }, auth);
    expect(noUser.status).toBe(400);
    expect(expectErrorShape(noUser.json).details).toEqual({ fields: { userId: ["is required"] } });
    expect((await post({ kind: "like", movieId: 12, userId: 999999 }, auth)).status).toBe(404);
    expect((await post({ kind: "like", movieId: 12, userId: bob }, { authorization: "Bearer mk_wrong" })).status).toBe(401);
    const { apiKey } = await createApiKey("temp", alice);
    await revokeApiKey(apiKey.id);
  });

  it.each([
    [{ kind: "rating", movieId: 11, value: 6 }, 400],
    [{ kind: "rating", movieId: 11, value: 3.3 }, 400],
    [{ kind: "rating", movieId: 11 }, 400],
    [{ kind: "watch", movieId: 11, watchSeconds: -1 }, 400],
    [{ kind: "teleport", movieId: 11 }, 400],
    [{ kind: "like", movieId: "11" }, 400],
    [{ kind: "like", movieId: 11, extra: 1 }, 400],
    [{ kind: "like", movieId: 999999999 }, 404],
    ["[1,2", 400],
  ])("rejects %j with %i", async (body, status) => {
    signedInAs(alice);
    const res = await post(body);
    expect(res.status).toBe(status);
    expectErrorShape(res.json);
  });
});

const remove = (query: string, headers?: Record<string, string>) => call(DELETE, `/api/interactions?${query}`, { method: "DELETE", headers });

describe("DELETE /api/interactions", () => {
  it("401 when signed out and without a key", async () => {
    const res = await remove("movieId=11&kind=rating");
    expect(res.status).toBe(401);
    expect(expectErrorShape(res.json).code).toBe("unauthorized");
  });

  it("takes what to remove from the query only: a body is refused before anything is removed (was: ignored)", async () => {
    signedInAs(bob);
    expect((await post({ kind: "rating", movieId: 14, value: 3 })).status).toBe(201);
    const withBody = await call(DELETE, "/api/interactions?movieId=14&kind=rating", { method: "DELETE", body: { movieId: 15 } });
    expect(withBody.status).toBe(400);
    expect(expectErrorShape(withBody.json).details).toMatchObject({ fields: { movieId: expect.any(Array) } });
    expect((await call(DELETE, "/api/interactions?movieId=14&kind=rating", { method: "DELETE", body: "garbage", headers: { "content-type": "text/plain" } })).status).toBe(415);
    expect((await getUserHistory(bob)).some((h) => h.movieId === 14)).toBe(true);
    expect((await call(DELETE, "/api/interactions?movieId=14&kind=rating", { method: "DELETE", body: {} })).status).toBe(200);
  });

  it("clears a signed-in user's rating; clearing again says there was nothing to remove", async () => {
    signedInAs(bob);
    expect((await post({ kind: "rating", movieId: 13, value: 2.5 })).status).toBe(201);
    expect((await getUserHistory(bob)).some((h) => h.movieId === 13)).toBe(true);
    const first = await remove("movieId=13&kind=rating");
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect(first.json).toEqual({ userId: bob, movieId: 13, kind: "rating", removed: true });
    expect((await getUserHistory(bob)).some((h) => h.movieId === 13)).toBe(false);
    expect((await remove("movieId=13&kind=rating")).json).toMatchObject({ removed: false });
  });

  it("only the named kind goes: clearing a rating keeps the watchlist entry", async () => {
    signedInAs(bob);
    await post({ kind: "rating", movieId: 14, value: 4 });
    await post({ kind: "watchlist", movieId: 14 });
    expect((await remove("movieId=14&kind=rating")).json).toMatchObject({ removed: true });
    expect((await remove("movieId=14&kind=watchlist")).json).toMatchObject({ removed: true });
    expect((await remove("movieId=14&kind=watchlist")).json).toMatchObject({ removed: false });
  });

  it("takes back a watch and a like, as the movie page's toggles do; the page's state follows", async () => {
    signedInAs(bob);
    expect((await post({ kind: "watch", movieId: 16 })).status).toBe(201);
    expect((await post({ kind: "like", movieId: 16, value: 1 })).status).toBe(201);
    expect(await getUserMovieState(bob, 16)).toMatchObject({ watched: true, liked: true });
    expect((await remove("movieId=16&kind=watch")).json).toMatchObject({ kind: "watch", removed: true });
    expect((await post({ kind: "like", movieId: 16, value: 0 })).status).toBe(201);
    expect(await getUserMovieState(bob, 16)).toMatchObject({ watched: false, liked: false });
    expect((await getUserHistory(bob)).some((h) => h.movieId === 16)).toBe(false);
  });

  it("a signed-in user cannot remove someone else's signal; an API key can, naming the user", async () => {
    signedInAs(alice);
    expect((await post({ kind: "like", movieId: 13 })).status).toBe(201);
    signedInAs(bob);
    const refused = await remove(`movieId=13&kind=like&userId=${alice}`);
    expect(refused.status).toBe(403);
    expectErrorShape(refused.json);
    signedInAs(null);
    const auth = { authorization: `Bearer ${key}` };
    expect((await remove("movieId=13&kind=like", auth)).status).toBe(400); // userId required with a key
    const ok = await remove(`movieId=13&kind=like&userId=${alice}`, auth);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ userId: alice, removed: true });
  });

  it.each(["", "movieId=11", "kind=rating", "movieId=abc&kind=rating", "movieId=11&kind=teleport", "movieId=11&kind=rating&kind=like", "movieId=-1&kind=rating", "movieId=11&kind=rating&extra=1"])(
    "rejects ?%s with 400",
    async (query) => {
      signedInAs(alice);
      const res = await remove(query);
      expect(res.status).toBe(400);
      expectErrorShape(res.json);
    },
  );
});

// SQLite only: the --scale bulk loader (lib/simulate/scale-run.ts) refuses PostgreSQL.
describe.skipIf(testingPostgres())("POST /api/interactions during an unfinished simulate --scale load", () => {
  it("503 not_ready saying the load must finish, instead of a 500", async () => {
    // the state a killed load leaves: its marker lists the dropped indexes, the unique key among them
    const sqlite = getDb().$client;
    const ddl = sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = 'interactions_user_movie_kind_uq'").pluck().get() as string;
    const marker = { signature: JSON.stringify({ users: 7000, interactions: 1_000_000, seed: 7 }), nextUser: 2000, firstUserId: 1, indexes: [ddl] };
    sqlite.prepare("INSERT INTO app_state (key, value, updated_at) VALUES (?, ?, ?)").run(SCALE_MARKER_KEY, JSON.stringify(marker), Date.now());
    sqlite.exec("DROP INDEX interactions_user_movie_kind_uq");
    try {
      signedInAs(alice);
      const res = await post({ kind: "rating", movieId: 14, value: 3 });
      expect(res.status).toBe(503);
      const error = expectErrorShape(res.json);
      expect(error.code).toBe("not_ready");
      expect(error.message).toMatch(/bulk load into this database is unfinished.*--scale 1000000 --seed 7/);
    } finally {
      sqlite.exec(ddl);
      sqlite.prepare("DELETE FROM app_state WHERE key = ?").run(SCALE_MARKER_KEY);
    }
  });
});
