import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changePassword, checkCurrentPassword, deleteAccount, exportAccountData, getAccountOverview, ONLY_ADMIN, signOutEverywhere } from "@/lib/account/settings";
import { accountExportSchema } from "@/lib/account/schemas";
import { registerAccount, sessionVersionOf, verifyCredentials } from "@/lib/auth/accounts";
import { getDb } from "@/lib/db";
import { getState } from "@/lib/db/state";
import { experimentClicks, experimentImpressions, experiments, interactions, recommendations, users } from "@/lib/db/schema";
import { INTERACTIONS_TOKEN_KEY, resetActivityForTests } from "@/lib/interactions/activity";
import { recordInteraction } from "@/lib/interactions/queries";
import { clearListCache } from "@/lib/recs/list-cache";
import { recommendForUser } from "@/lib/recs/serve";
import { useTrainedDb } from "../../helpers/trained-db";

// The account page's logic (lib/account/settings.ts): what it shows, the export, the password
// change and deleting an account with everything kept about it.

let env: Awaited<ReturnType<typeof useTrainedDb>>;
beforeAll(async () => {
  env = await useTrainedDb({ users: 60 });
}, 120_000);
afterAll(() => env.cleanup());

/** A simulated user (with history and a cached list) made into an account that can sign in. */
async function accountFromSimulatedUser(userId: number, email: string, role: "user" | "admin" = "user") {
  await getDb().update(users).set({ email, role }).where(eq(users.id, userId));
}

const rowsFor = async (userId: number) => {
  const db = getDb();
  const n = async (table: typeof interactions | typeof recommendations | typeof experimentImpressions | typeof experimentClicks) =>
    Number((await db.select({ n: count() }).from(table).where(eq(table.userId, userId)))[0].n);
  return {
    users: Number((await db.select({ n: count() }).from(users).where(eq(users.id, userId)))[0].n),
    interactions: await n(interactions),
    recommendations: await n(recommendations),
    impressions: await n(experimentImpressions),
    clicks: await n(experimentClicks),
  };
};

describe("the account page's data", () => {
  it("overview counts the account's signals by kind and says how it signs in", async () => {
    const ada = await registerAccount({ email: "ada@example.com", password: "analytical-engine" });
    await recordInteraction({ userId: ada.id, movieId: 19995, kind: "rating", value: 4.5 });
    await recordInteraction({ userId: ada.id, movieId: 19995, kind: "watchlist", value: 1 });
    await recordInteraction({ userId: ada.id, movieId: 285, kind: "watch", watchSeconds: 600 });
    expect(await getAccountOverview(ada.id)).toMatchObject({
      email: "ada@example.com",
      role: expect.any(String),
      hasPassword: true,
      counts: { rating: 1, watch: 1, like: 0, watchlist: 1 },
    });
    // a simulated user is not an account
    expect(await getAccountOverview(3)).toBeNull();
  });

  it("counts what the account's lists show: a like or watchlist entry taken back does not count", async () => {
    // was: "6 likes" for five liked films and one unliked (every row of the kind counted)
    const grace = await registerAccount({ email: "grace-counts@example.com", password: "compiler-first" });
    await recordInteraction({ userId: grace.id, movieId: 19995, kind: "like", value: 1 });
    await recordInteraction({ userId: grace.id, movieId: 285, kind: "like", value: 0 });
    await recordInteraction({ userId: grace.id, movieId: 285, kind: "watchlist", value: 0 });
    expect((await getAccountOverview(grace.id))?.counts).toEqual({ rating: 0, watch: 0, like: 1, watchlist: 0 });
  });

  it("export lists every signal with its film, oldest first, in the documented shape", async () => {
    const [ada] = await getDb().select().from(users).where(eq(users.email, "ada@example.com"));
    const data = await exportAccountData(ada.id, Date.UTC(2026, 10, 24));
    expect(accountExportSchema.parse(data)).toEqual(data);
    expect(data!.exportedAt).toBe("2026-11-24T00:00:00.000Z");
    expect(data!.account).toMatchObject({ id: ada.id, email: "ada@example.com", signsInWithPassword: true });
    expect(data!.interactions.map((i) => [i.movieId, i.kind])).toEqual([
      [19995, "rating"],
      [19995, "watchlist"],
      [285, "watch"],
    ]);
    expect(data!.interactions[0]).toMatchObject({ title: "Avatar", year: 2009, value: 4.5, source: "app" });
    // no password hash, however it is read
    expect(JSON.stringify(data)).not.toMatch(/scrypt/);
    expect(await exportAccountData(3)).toBeNull();
  });
});

describe("changing the password", () => {
  it("needs the current one; afterwards only the new one signs in", async () => {
    const grace = await registerAccount({ email: "grace@example.com", password: "first-password" });
    await expect(changePassword(grace.id, { currentPassword: "wrong-password", newPassword: "second-password" })).rejects.toMatchObject({
      code: "bad_request",
      details: { fields: { currentPassword: ["must be your current password"] } },
    });
    expect(await verifyCredentials({ email: "grace@example.com", password: "first-password" })).not.toBeNull();
    await changePassword(grace.id, { currentPassword: "first-password", newPassword: "second-password" });
    expect(await verifyCredentials({ email: "grace@example.com", password: "first-password" })).toBeNull();
    expect(await verifyCredentials({ email: "grace@example.com", password: "second-password" })).toMatchObject({ id: grace.id });
  });

  it("is refused for an account that signs in only with GitHub or Google", async () => {
    const [oauth] = await getDb().insert(users).values({ email: "oauth@example.com", source: "app" }).returning();
    expect(await checkCurrentPassword(oauth.id, "")).toBe("none");
    await expect(changePassword(oauth.id, { currentPassword: "x", newPassword: "whatever-new" })).rejects.toMatchObject({ code: "conflict" });
  });
});

describe("signing out everywhere", () => {
  it("moves the session version on (every session issued before is refused) and leaves the password alone; an account without one too", async () => {
    const ada = await registerAccount({ email: "ada-everywhere@example.com", password: "first-password" });
    const before = (await sessionVersionOf(ada.id))!;
    await signOutEverywhere(ada.id);
    expect(await sessionVersionOf(ada.id)).toBe(before + 1);
    expect(await verifyCredentials({ email: "ada-everywhere@example.com", password: "first-password" })).toMatchObject({ id: ada.id });
    const [oauth] = await getDb().insert(users).values({ email: "oauth-everywhere@example.com", source: "app" }).returning();
    await signOutEverywhere(oauth.id);
    expect(await sessionVersionOf(oauth.id)).toBe((oauth.sessionVersion ?? 0) + 1);
  });

  it("says so for an account that no longer exists", async () => {
    await expect(signOutEverywhere(2_000_000_000)).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("deleting an account", () => {
  it("removes the account, its signals, its cached lists in every version and what experiments logged of it; others keep theirs", async () => {
    const gone = 5;
    const kept = 6;
    await accountFromSimulatedUser(gone, "leaving@example.com");
    const [exp] = await getDb()
      .insert(experiments)
      .values({ name: "t", arms: [{ key: "a", versionId: env.trained.versionId, weight: 100 }], status: "stopped", createdByLabel: "test" })
      .returning();
    for (const userId of [gone, kept]) {
      await getDb().insert(experimentImpressions).values({ experimentId: exp.id, arm: "a", userId, movieId: 19995, rank: 1, modelVersionId: env.trained.versionId, source: "model", surface: "api", createdAt: 1 });
      await getDb().insert(experimentClicks).values({ experimentId: exp.id, arm: "a", userId, movieId: 19995, createdAt: 2 });
    }
    const before = await rowsFor(gone);
    expect(before.interactions).toBeGreaterThan(0);
    expect(before.recommendations).toBeGreaterThan(0);
    const keptBefore = await rowsFor(kept);
    // served from the model's list (and memoised) before
    resetActivityForTests();
    clearListCache();
    expect((await recommendForUser({ userId: gone, k: 5 })).source).toBe("model");
    expect((await recommendForUser({ userId: gone, k: 5 })).source).toBe("model");
    const token = await getState(INTERACTIONS_TOKEN_KEY);

    await deleteAccount(gone);

    expect(await rowsFor(gone)).toEqual({ users: 0, interactions: 0, recommendations: 0, impressions: 0, clicks: 0 });
    expect(await rowsFor(kept)).toEqual(keptBefore);
    // every instance forgets what it remembered of users' activity (within half a second)
    expect(await getState(INTERACTIONS_TOKEN_KEY)).not.toBe(token);
    // this one at once: the old list (whose reasons name the user's films) is not served again
    const after = await recommendForUser({ userId: gone, k: 5 });
    expect(after.source).toBe("popular");
    expect(after.items.every((i) => i.reason.type === "popular")).toBe(true);
  });

  it("refuses the only admin and deletes nothing; with another admin it goes ahead", async () => {
    // (earlier tests' accounts are plain users; no admin exists yet in this database)
    await getDb().update(users).set({ role: "user" }).where(eq(users.role, "admin"));
    await accountFromSimulatedUser(7, "boss@example.com", "admin");
    const before = await rowsFor(7);
    await expect(deleteAccount(7)).rejects.toMatchObject({ code: "conflict", message: ONLY_ADMIN });
    expect(await rowsFor(7)).toEqual(before);
    await accountFromSimulatedUser(8, "deputy@example.com", "admin");
    await deleteAccount(7);
    expect((await rowsFor(7)).users).toBe(0);
    await expect(deleteAccount(7)).rejects.toMatchObject({ code: "not_found" });
  });
});
