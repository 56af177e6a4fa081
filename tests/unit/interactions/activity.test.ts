import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { upsertMovies } from "@/lib/catalog/upsert";
import { getDb, sqliteHandle, transaction } from "@/lib/db";
import { appState, interactions, users } from "@/lib/db/schema";
import {
  INTERACTIONS_TOKEN_KEY,
  lookForActivity,
  OVERLAP_MS,
  POLL_MS,
  RECENT_USERS_SQL,
  resetActivityForTests,
  userLastActivity,
} from "@/lib/interactions/activity";
import { deleteInteraction, recordInteraction, upsertInteractions } from "@/lib/interactions/queries";
import { testingPostgres, useTempDb } from "../../helpers/temp-db";
import { catalogMovies } from "./fixtures";

// "Another process" is played by writing rows (and the token) straight to the database, as a
// process that is not this one would: nothing in this process hears of it except by looking.

let tmp: ReturnType<typeof useTempDb>;
let alice: number;
let bob: number;
let t0: number;

beforeAll(async () => {
  tmp = useTempDb();
  await upsertMovies(getDb(), catalogMovies([550, 551, 552, 553]));
  [{ id: alice }, { id: bob }] = await getDb()
    .insert(users)
    .values([{ email: "alice@example.com" }, { email: "bob@example.com" }])
    .returning({ id: users.id });
});
afterAll(() => tmp.cleanup());
beforeEach(async () => {
  await getDb().delete(interactions);
  resetActivityForTests();
  vi.useFakeTimers({ toFake: ["Date"] });
  t0 = Date.now();
  await lookForActivity(); // the first look only starts the view (anything read during it is read again)
});
afterEach(() => vi.useRealTimers());

/** A row written by another process, stamped `at`. */
function writtenElsewhere(userId: number, movieId: number, at: number) {
  return getDb().insert(interactions).values({ userId, movieId, kind: "like", value: 1, source: "api", createdAt: at });
}

/** The remembered or read time, and a look at the database done. */
async function lastAt(userId: number): Promise<number> {
  const value = await userLastActivity(userId);
  await lookForActivity();
  return value.at;
}

describe("users' newest interaction, as this process knows it", () => {
  it("is read from the database, then remembered while the last look is younger than POLL_MS", async () => {
    await writtenElsewhere(alice, 550, t0 - 5_000);
    expect(await lastAt(alice)).toBe(t0 - 5_000);
    expect(await userLastActivity(bob)).toEqual({ at: 0, id: 0 });
    expect(await lastAt(bob)).toBe(0);
    await writtenElsewhere(bob, 551, t0 - 1); // not yet looked at
    expect((await userLastActivity(bob)).at).toBe(0);
    vi.setSystemTime(t0 + POLL_MS - 1);
    expect((await userLastActivity(bob)).at).toBe(0);
    vi.setSystemTime(t0 + POLL_MS); // trust ran out: read again, and look
    expect(await lastAt(bob)).toBe(t0 - 1);
    expect((await userLastActivity(alice)).at).toBe(t0 - 5_000);
  });

  it("forgets a user another process wrote for at the next look, rows up to OVERLAP_MS behind included", async () => {
    await writtenElsewhere(alice, 550, t0 - 60_000);
    expect(await lastAt(alice)).toBe(t0 - 60_000);
    expect(await lastAt(bob)).toBe(0);
    // bob acts elsewhere, stamped by a clock a little behind; and a row older than the window
    await writtenElsewhere(bob, 552, t0 - OVERLAP_MS + 2);
    await writtenElsewhere(alice, 551, t0 - 2 * OVERLAP_MS);
    vi.setSystemTime(t0 + POLL_MS);
    await lookForActivity();
    expect((await userLastActivity(bob)).at).toBe(t0 - OVERLAP_MS + 2);
    // an old-stamped row written without the token is not noticed (bulk writers write the token)
    expect((await userLastActivity(alice)).at).toBe(t0 - 60_000);
  });

  it("forgets a user at once when this process records or deletes an interaction", async () => {
    expect(await lastAt(alice)).toBe(0);
    const saved = await recordInteraction({ kind: "rating", userId: alice, movieId: 553, value: 4 });
    expect((await userLastActivity(alice)).at).toBe(saved.createdAt);
    await deleteInteraction(alice, 553, "rating");
    expect((await userLastActivity(alice)).at).toBe(0);
  });

  it("forgets everyone when a bulk write (any timestamps) changes the token, here or elsewhere", async () => {
    expect(await lastAt(alice)).toBe(0);
    expect(await lastAt(bob)).toBe(0);
    // this process imports old rows: at once
    await transaction((tx) =>
      upsertInteractions(tx, [{ userId: alice, movieId: 550, kind: "rating", value: 4, source: "imported", createdAt: t0 - 86_400_000 }]),
    );
    expect(await lastAt(alice)).toBe(t0 - 86_400_000);
    // and the row's id, which says it came after any model trained before it, whatever its time
    const [row] = await getDb().select().from(interactions).where(eq(interactions.userId, alice));
    expect(await userLastActivity(alice)).toEqual({ at: t0 - 86_400_000, id: row.id });
    expect(await lastAt(bob)).toBe(0);
    // another process imports old rows for bob and changes the token: at its next look
    await writtenElsewhere(bob, 551, t0 - 86_400_000);
    await getDb().update(appState).set({ value: "elsewhere" }).where(eq(appState.key, INTERACTIONS_TOKEN_KEY));
    expect((await userLastActivity(bob)).at).toBe(0);
    vi.setSystemTime(t0 + POLL_MS);
    await lookForActivity();
    expect((await userLastActivity(bob)).at).toBe(t0 - 86_400_000);
  });

  it("trusts nothing remembered once the clock steps back", async () => {
    expect(await lastAt(alice)).toBe(0);
    await writtenElsewhere(alice, 550, t0 - 10);
    vi.setSystemTime(t0 - 1_000);
    expect((await userLastActivity(alice)).at).toBe(t0 - 10);
  });
});

describe("each look's query", () => {
  // Every serving process runs it every POLL_MS: it must search the created_at index, not scan
  // the table or a whole index (the DISTINCT form did: SQLite walked (user_id, created_at) end to end).
  it.skipIf(testingPostgres())("searches the created_at index on SQLite", () => {
    const plan = sqliteHandle()
      .prepare(`explain query plan ${RECENT_USERS_SQL}`)
      .all(t0)
      .map((row) => (row as { detail: string }).detail);
    expect(plan).toEqual([expect.stringMatching(/^SEARCH interactions USING (COVERING )?INDEX interactions_created_idx \(created_at>\?\)$/)]);
  });

  it("forgets a user with several new rows in one look", async () => {
    expect(await lastAt(alice)).toBe(0);
    await writtenElsewhere(alice, 550, t0 + 1);
    await writtenElsewhere(alice, 551, t0 + 2);
    vi.setSystemTime(t0 + POLL_MS);
    await lookForActivity();
    expect((await userLastActivity(alice)).at).toBe(t0 + 2);
  });
});
