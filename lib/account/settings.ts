import { and, asc, count, eq, inArray, isNotNull, ne, sql } from "drizzle-orm";
import { affectedRows, getDb, transaction } from "@/lib/db";
import { lockKey } from "@/lib/db/sql";
import { experimentClicks, experimentImpressions, experiments, interactions, modelVersions, movies, recommendations, users } from "@/lib/db/schema";
import { ApiError } from "@/lib/http/errors";
import { markInteractionsChanged, noteUserActivity } from "@/lib/interactions/activity";
import { countUserLists, type UserListKind } from "@/lib/interactions/user-lists";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import type { AccountExport } from "./schemas";

// What a signed-in person can do about their own account: see it, download what Matinee keeps
// about them, change their password, delete it all. The pages (app/(account)/me/account) and the
// export route are thin over these.

export type AccountOverview = {
  id: number;
  email: string;
  role: "user" | "admin";
  createdAt: number;
  /** Signs in with a password (else only through GitHub / Google). */
  hasPassword: boolean;
  /**
   * Films on each of the account's lists (ratings, watched, likes, watchlist), as those pages count
   * them: a like or watchlist entry taken back does not count (was: every row of the kind did).
   */
  counts: Record<UserListKind, number>;
};

export async function getAccountOverview(userId: number): Promise<AccountOverview | null> {
  const db = getDb();
  const [row] = await db
    .select({ id: users.id, email: users.email, role: users.role, createdAt: users.createdAt, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  if (!row?.email) return null;
  const counts = await countUserLists(userId);
  return { id: row.id, email: row.email, role: row.role, createdAt: row.createdAt, hasPassword: row.passwordHash !== null, counts };
}

/** Everything Matinee keeps about an account that its owner typed or did: the download on the account page. */
export async function exportAccountData(userId: number, now = Date.now()): Promise<AccountExport | null> {
  const db = getDb();
  const [account] = await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, createdAt: users.createdAt, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  if (!account?.email) return null;
  const rows = await db
    .select({
      movieId: interactions.movieId,
      title: movies.title,
      year: movies.year,
      kind: interactions.kind,
      value: interactions.value,
      watchSeconds: interactions.watchSeconds,
      source: interactions.source,
      at: interactions.createdAt,
    })
    .from(interactions)
    .innerJoin(movies, eq(movies.id, interactions.movieId))
    .where(eq(interactions.userId, userId))
    .orderBy(asc(interactions.createdAt), asc(interactions.id));
  return {
    exportedAt: new Date(now).toISOString(),
    account: {
      id: account.id,
      email: account.email,
      name: account.name,
      role: account.role,
      createdAt: new Date(account.createdAt).toISOString(),
      signsInWithPassword: account.passwordHash !== null,
    },
    interactions: rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() })),
  };
}

export const WRONG_PASSWORD = "That is not your current password.";
export const NO_PASSWORD = "This account signs in with GitHub or Google: it has no password to change.";

/** Whether `password` is the account's current one; `none` for an account without a password (GitHub / Google only). */
export async function checkCurrentPassword(userId: number, password: string): Promise<"ok" | "wrong" | "none"> {
  const [row] = await getDb().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!row) throw new ApiError("not_found", "That account no longer exists.");
  if (row.passwordHash === null) return "none";
  return (await verifyPassword(password, row.passwordHash)) ? "ok" : "wrong";
}

/**
 * Replace the password after checking the current one: ApiError `bad_request` with a field error
 * when it is wrong, `conflict` for an account without one. The caller counts the attempts.
 */
export async function changePassword(userId: number, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const check = await checkCurrentPassword(userId, input.currentPassword);
  if (check === "none") throw new ApiError("conflict", NO_PASSWORD);
  if (check === "wrong") throw new ApiError("bad_request", WRONG_PASSWORD, { fields: { currentPassword: ["must be your current password"] } });
  // and every session signed in before is signed out (the caller signs this one in again)
  await getDb()
    .update(users)
    .set({ passwordHash: await hashPassword(input.newPassword), sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId));
}

/**
 * Sign the account out on every device: each session cookie issued so far carries the old session
 * version, which findSessionAccount then refuses. Works for accounts without a password too (GitHub,
 * Google), which have no password to change.
 */
export async function signOutEverywhere(userId: number): Promise<void> {
  const res = await getDb()
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId));
  if (affectedRows(res) === 0) throw new ApiError("not_found", "That account no longer exists.");
}

export const ONLY_ADMIN =
  "You are the only admin. Make another account an admin first (list its email in ADMIN_EMAILS and have it sign in), then delete this one.";

/**
 * Delete an account and everything kept about it: its interactions (by cascade), the model's
 * precomputed list for it in every version, and what experiments logged of it. The last admin
 * cannot delete themself (nobody could run the admin pages then). Every app instance stops
 * serving the account's old list within about half a second (the interactions token).
 */
export async function deleteAccount(userId: number): Promise<void> {
  await transaction(async (tx) => {
    // with sign-ups and other deletions: the "another admin exists" check holds until commit
    await lockKey(tx, "accounts");
    const [me] = await tx.select({ role: users.role, email: users.email }).from(users).where(eq(users.id, userId));
    if (!me?.email) throw new ApiError("not_found", "That account no longer exists.");
    if (me.role === "admin") {
      const [others] = await tx
        .select({ n: count() })
        .from(users)
        .where(and(eq(users.role, "admin"), isNotNull(users.email), ne(users.id, userId)));
      if (Number(others?.n ?? 0) === 0) throw new ApiError("conflict", ONLY_ADMIN);
    }
    // (each through its table's leading key column, not a scan of the whole table)
    await tx.delete(recommendations).where(and(inArray(recommendations.modelVersionId, tx.select({ id: modelVersions.id }).from(modelVersions)), eq(recommendations.userId, userId)));
    await tx.delete(experimentImpressions).where(and(inArray(experimentImpressions.experimentId, tx.select({ id: experiments.id }).from(experiments)), eq(experimentImpressions.userId, userId)));
    await tx.delete(experimentClicks).where(and(inArray(experimentClicks.experimentId, tx.select({ id: experiments.id }).from(experiments)), eq(experimentClicks.userId, userId)));
    await tx.delete(users).where(eq(users.id, userId));
    await markInteractionsChanged(tx);
  });
  noteUserActivity(userId);
}
