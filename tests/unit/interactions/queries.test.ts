import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertMovies } from "@/lib/catalog/upsert";
import { getDb, transaction } from "@/lib/db";
import { interactions, users } from "@/lib/db/schema";
import {
  countInteractions,
  countInteractionsBySource,
  countUsers,
  deleteInteraction,
  ensureUsers,
  recordInteraction,
  upsertInteractions,
} from "@/lib/interactions/queries";
import { ApiError } from "@/lib/http/errors";
import { testingPostgres, useTempDb } from "../../helpers/temp-db";
import { catalogMovies } from "./fixtures";

let tmp: ReturnType<typeof useTempDb>;
let userId: number;

beforeAll(async () => {
  tmp = useTempDb();
  await upsertMovies(getDb(), catalogMovies([550, 551, 552]));
  [{ id: userId }] = await getDb().insert(users).values({ email: "a@example.com" }).returning({ id: users.id });
});
afterAll(() => tmp.cleanup());

describe("recordInteraction", () => {
  it("stores one row per (user, movie, kind) and re-rating updates it in place", async () => {
    const first = await recordInteraction({ kind: "rating", userId, movieId: 550, value: 3.5 });
    const second = await recordInteraction({ kind: "rating", userId, movieId: 550, value: 4 });
    expect(second.id).toBe(first.id);
    expect(second).toMatchObject({ value: 4, source: "app", watchSeconds: null });
    expect(await countInteractions({ kind: "rating" })).toBe(1);
  });

  it("validates values per kind and defaults like/watchlist to on", async () => {
    await expect(recordInteraction({ kind: "rating", userId, movieId: 550, value: 4.3 })).rejects.toThrow(/steps of 0.5/);
    await expect(recordInteraction({ kind: "rating", userId, movieId: 550, value: 0 })).rejects.toThrow(/at least 0.5/);
    expect(await recordInteraction({ kind: "watchlist", userId, movieId: 551 })).toMatchObject({ value: 1 });
    expect(await recordInteraction({ kind: "watch", userId, movieId: 551, watchSeconds: 1200 }, "api")).toMatchObject({ watchSeconds: 1200, value: null, source: "api" });
  });

  it("throws not_found for an unknown movie or user", async () => {
    await expect(recordInteraction({ kind: "like", userId, movieId: 9 })).rejects.toMatchObject({ code: "not_found" });
    await expect(recordInteraction({ kind: "like", userId: 999, movieId: 550 })).rejects.toBeInstanceOf(ApiError);
  });

  it("deleteInteraction removes one signal", async () => {
    expect(await deleteInteraction(userId, 551, "watchlist")).toBe(true);
    expect(await deleteInteraction(userId, 551, "watchlist")).toBe(false);
  });
});

describe("batch helpers and counts", () => {
  it("ensureUsers creates missing users once; upsertInteractions keeps the newest state", async () => {
    const db = getDb();
    const a = await ensureUsers(db, [{ externalId: "x:1", source: "imported" }, { externalId: "x:2", source: "imported" }]);
    const b = await ensureUsers(db, [{ externalId: "x:2", source: "imported" }, { externalId: "x:3", source: "imported" }]);
    expect([a.created, b.created]).toEqual([2, 1]);
    expect(b.ids.get("x:2")).toBe(a.ids.get("x:2"));

    const row = { userId: a.ids.get("x:1")!, movieId: 552, kind: "rating" as const, source: "imported" as const };
    expect(await transaction((tx) => upsertInteractions(tx, [{ ...row, value: 2, createdAt: 1000 }]))).toBe(1);
    expect(await upsertInteractions(db, [{ ...row, value: 2, createdAt: 1000 }])).toBe(0); // same: unchanged
    expect(await upsertInteractions(db, [{ ...row, value: 5, createdAt: 500 }])).toBe(0); // older: ignored
    expect(await upsertInteractions(db, [{ ...row, value: 4, createdAt: 2000 }])).toBe(1); // newer: wins
    // One call naming a key several times counts like the rows applied one by one, on either dialect:
    // newer (1), as new with another value (1), older (0); the last of the newest is kept.
    const repeats = [
      { ...row, value: 3, createdAt: 3000 },
      { ...row, value: 3.5, createdAt: 3000 },
      { ...row, value: 1, createdAt: 2500 },
    ];
    expect(await transaction((tx) => upsertInteractions(tx, repeats))).toBe(2);
    const [stored] = await db.select().from(interactions).where(and(eq(interactions.userId, row.userId), eq(interactions.movieId, 552)));
    expect(stored).toMatchObject({ value: 3.5, createdAt: 3000 });
    expect(await countUsers({ source: "imported" })).toBe(3);
    expect(await countInteractionsBySource()).toEqual([
      { source: "api", kind: "watch", n: 1 },
      { source: "app", kind: "rating", n: 1 },
      { source: "imported", kind: "rating", n: 1 },
    ]);
  });

  it("gives a row a new id, past every id given out, only when an upsert changes it", async () => {
    const db = getDb();
    const { ids } = await ensureUsers(db, [{ externalId: "x:9", source: "imported" }]);
    const row = { userId: ids.get("x:9")!, movieId: 550, kind: "rating" as const, source: "imported" as const };
    const idOf = async () =>
      (await db.select({ id: interactions.id }).from(interactions).where(and(eq(interactions.userId, row.userId), eq(interactions.movieId, 550))))[0].id;
    const largest = async () => (await db.select({ id: interactions.id }).from(interactions)).reduce((m, r) => Math.max(m, r.id), 0);
    await transaction((tx) => upsertInteractions(tx, [{ ...row, value: 2, createdAt: 1000 }]));
    const first = await idOf();
    // a newer row after it, then deleted: its id is not given out again
    const later = await recordInteraction({ kind: "like", userId: row.userId, movieId: 551 });
    expect(later.id).toBeGreaterThan(first);
    expect(await deleteInteraction(row.userId, 551, "like")).toBe(true);

    await transaction((tx) => upsertInteractions(tx, [{ ...row, value: 2, createdAt: 1000 }])); // unchanged
    await transaction((tx) => upsertInteractions(tx, [{ ...row, value: 5, createdAt: 500 }])); // older: ignored
    expect(await idOf()).toBe(first);
    // the same time with another value (a corrected rating), as an import of an older file writes it
    expect(await transaction((tx) => upsertInteractions(tx, [{ ...row, value: 4, createdAt: 1000 }]))).toBe(1);
    const moved = await idOf();
    expect(moved).toBeGreaterThan(later.id);
    expect(moved).toBe(await largest());
    // and the next row inserted comes after it
    const next = await recordInteraction({ kind: "watchlist", userId: row.userId, movieId: 552 });
    expect(next.id).toBeGreaterThan(moved);
  });

  it("keeps a row's training id through changes training does not read, and renews it on one it does", async () => {
    const db = getDb();
    const { ids } = await ensureUsers(db, [{ externalId: "x:10", source: "imported" }]);
    const user = ids.get("x:10")!;
    const write = (row: { movieId: number; kind: "rating" | "watch" | "like"; value?: number | null; watchSeconds?: number | null; createdAt: number }) =>
      transaction((tx) => upsertInteractions(tx, [{ userId: user, source: "imported", ...row }]));
    const stored = async (movieId: number, kind: string) =>
      (await db.select().from(interactions).where(and(eq(interactions.userId, user), eq(interactions.movieId, movieId)))).find((r) => r.kind === kind)!;
    /** What drift and the retrain check compare (lib/mlops/new-data.ts). */
    const trainingId = (r: { id: number; trainingId: number | null }) => r.trainingId ?? r.id;

    // a rating: new stars at the same time change its id, not its training id, however often
    await write({ movieId: 550, kind: "rating", value: 4, createdAt: 2000 });
    const rated = await stored(550, "rating");
    expect(rated.trainingId).toBeNull();
    await write({ movieId: 550, kind: "rating", value: 1, createdAt: 2000 });
    await write({ movieId: 550, kind: "rating", value: 2.5, createdAt: 2000 });
    const restarred = await stored(550, "rating");
    expect(restarred.id).toBeGreaterThan(rated.id);
    expect(trainingId(restarred)).toBe(rated.id);
    // a later time is new training data: the training id is the row's id again
    await write({ movieId: 550, kind: "rating", value: 2.5, createdAt: 3000 });
    const moved = await stored(550, "rating");
    expect(moved.id).toBeGreaterThan(restarred.id);
    expect(trainingId(moved)).toBe(moved.id);

    // a watch's seconds are not read either
    await write({ movieId: 551, kind: "watch", watchSeconds: 600, createdAt: 2000 });
    const watched = await stored(551, "watch");
    await write({ movieId: 551, kind: "watch", watchSeconds: 6000, createdAt: 2000 });
    expect(trainingId(await stored(551, "watch"))).toBe(watched.id);

    // a like taken back (value 0) weighs nothing in training: that is a change it reads
    await write({ movieId: 552, kind: "like", value: 1, createdAt: 2000 });
    await write({ movieId: 552, kind: "like", value: 0, createdAt: 2000 });
    const unliked = await stored(552, "like");
    expect(trainingId(unliked)).toBe(unliked.id);
    await write({ movieId: 552, kind: "like", value: 1, createdAt: 2000 });
    const reliked = await stored(552, "like");
    expect(reliked.id).toBeGreaterThan(unliked.id);
    expect(trainingId(reliked)).toBe(reliked.id);

    // an app write stamps the time now: new training data, whatever it kept before
    await write({ movieId: 550, kind: "rating", value: 4, createdAt: 3000 });
    await write({ movieId: 550, kind: "rating", value: 3, createdAt: 3000 });
    expect((await stored(550, "rating")).trainingId).not.toBeNull();
    const rerated = await recordInteraction({ kind: "rating", userId: user, movieId: 550, value: 3.5 }, "api");
    expect(rerated.trainingId).toBeNull();
  });
});

// SQLite only: PostgreSQL has no `simulate --scale` load (scale-run.ts), and there the unique key cannot go missing that way.
describe.skipIf(testingPostgres())("an interaction write without its unique key", () => {
  it("is the driver's own error when no --scale load dropped it (a bug, not a load to finish)", async () => {
    const sqlite = getDb().$client;
    const ddl = sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = 'interactions_user_movie_kind_uq'").pluck().get() as string;
    sqlite.exec("DROP INDEX interactions_user_movie_kind_uq");
    try {
      const err = await recordInteraction({ kind: "rating", userId, movieId: 551, value: 3 }).then(() => null, (e: unknown) => e);
      expect(err).not.toBeInstanceOf(ApiError);
      expect(String(err)).toMatch(/ON CONFLICT clause does not match any PRIMARY KEY or UNIQUE constraint/);
    } finally {
      sqlite.exec(ddl);
    }
  });
});
