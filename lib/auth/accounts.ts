import { count, eq, isNotNull, lt, sql } from "drizzle-orm";
import { getDb, transaction } from "@/lib/db";
import { lockKey } from "@/lib/db/sql";
import { revokedSessions, users, type User } from "@/lib/db/schema";
import { getEnv } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { limitSignUp } from "./limits";
import { SIGN_UP_FAILED } from "./messages";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./password";
import { isAdminEmail, roleForNewAccount } from "./roles";
import { signUpSchema, type SignInInput, type SignUpInput } from "./schemas";

// An account is a user who can sign in: one with an email. Simulated and imported users have none.
export type SessionUser = Pick<User, "id" | "name" | "role"> & { email: string };

const accountColumns = { id: users.id, email: users.email, name: users.name, role: users.role };

function toSessionUser(row: { id: number; email: string | null; name: string | null; role: User["role"] }): SessionUser | null {
  return row.email ? { id: row.id, email: row.email, name: row.name, role: row.role } : null;
}

/**
 * The account's session version (undefined when there is no such user): a session signed in at
 * another version has been signed out (a password change since; lib/auth/config.ts).
 */
export async function sessionVersionOf(id: number): Promise<number | undefined> {
  const [row] = await getDb().select({ v: users.sessionVersion }).from(users).where(eq(users.id, id));
  return row?.v;
}

/** What a session's cookie says about it: its account, the version it signed in at, its own id. */
export type SessionClaims = { id: number; sv?: number; sid?: string };

/** Whether the session was signed out itself (revokeSession), as a column of the `users` read. */
function signedOutColumn(sid: string | undefined) {
  const signedOut = sid ? sql`exists (select 1 from ${revokedSessions} where ${revokedSessions.sid} = ${sid})` : sql`0 = 1`;
  return sql<unknown>`case when ${signedOut} then 1 else 0 end`;
}

/** acceptsSession's rule on the row read for it. */
function accepted(row: { v: number; signedOut: unknown }, { sv }: SessionClaims): boolean {
  return row.v === (sv ?? 0) && Number(row.signedOut) === 0;
}

/**
 * Whether the app still accepts a session: false when it was signed in at another session
 * version than the account's (a password change or "sign out of every device" since) or was
 * signed out itself (revokeSession); undefined when there is no such account. One read: the
 * version and the sign-out together.
 */
export async function acceptsSession(claims: SessionClaims): Promise<boolean | undefined> {
  const [row] = await getDb()
    .select({ v: users.sessionVersion, signedOut: signedOutColumn(claims.sid) })
    .from(users)
    .where(eq(users.id, claims.id));
  return row && accepted(row, claims);
}

/**
 * The account a session is signed in to, read fresh (a role change or a deleted account takes
 * effect at once), or null when there is no such account or the app no longer accepts the session
 * (acceptsSession's rule). One read: the account, its version and the sign-out together.
 */
export async function findSessionAccount(claims: SessionClaims): Promise<SessionUser | null> {
  const [row] = await getDb()
    .select({ ...accountColumns, v: users.sessionVersion, signedOut: signedOutColumn(claims.sid) })
    .from(users)
    .where(eq(users.id, claims.id));
  return row && accepted(row, claims) ? toSessionUser(row) : null;
}

/**
 * Records a session as signed out, so a copy of its cookie (another tab's, a stolen one) is
 * refused from now on, until `expiresAt`, when the cookie itself would have expired. Rows past
 * their time are deleted on the way. A session without an id (signed in before sessions had one)
 * cannot be recorded.
 */
export async function revokeSession({ id, sid }: SessionClaims, expiresAt: number, now = Date.now()): Promise<void> {
  if (!sid) return;
  const db = getDb();
  await db.delete(revokedSessions).where(lt(revokedSessions.expiresAt, now));
  // (no such user: the account was deleted, which signed every session out already)
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, id));
  if (user) await db.insert(revokedSessions).values({ sid, userId: id, expiresAt }).onConflictDoNothing();
}

/**
 * Insert an account. The "first account becomes admin" decision and the insert run in one
 * transaction holding the accounts lock, so two simultaneous first sign-ups (even from two app
 * instances) cannot both become admin. Returns null when the email already has an account.
 */
async function insertAccount(input: { email: string; name?: string | null; passwordHash: string | null }): Promise<SessionUser | null> {
  const adminEmails = getEnv().ADMIN_EMAILS;
  return transaction(async (tx) => {
    await lockKey(tx, "accounts");
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email));
    if (existing) return null;
    const [counted] = await tx.select({ n: count() }).from(users).where(isNotNull(users.email));
    const role = roleForNewAccount(input.email, { adminEmails, existingAccounts: counted?.n ?? 0 });
    const [row] = await tx
      .insert(users)
      .values({ email: input.email, name: input.name ?? null, passwordHash: input.passwordHash, role, source: "app" })
      .returning(accountColumns);
    return toSessionUser(row);
  });
}

/** Promote an existing account whose email was added to ADMIN_EMAILS. Never demotes. */
async function syncAdminRole(account: SessionUser): Promise<SessionUser> {
  if (account.role === "admin" || !isAdminEmail(account.email, getEnv().ADMIN_EMAILS)) return account;
  await getDb().update(users).set({ role: "admin" }).where(eq(users.id, account.id));
  return { ...account, role: "admin" };
}

/**
 * Create an email + password account. Throws ApiError `bad_request` for invalid input and
 * `conflict` with a generic message when the email is taken. The password is hashed before the
 * duplicate check so both outcomes take the same time.
 */
export async function registerAccount(input: unknown): Promise<SessionUser> {
  const { email, password } = signUpSchema.parse(input);
  const passwordHash = await hashPassword(password);
  const account = await insertAccount({ email, passwordHash });
  if (!account) throw new ApiError("conflict", SIGN_UP_FAILED);
  return account;
}

/**
 * The account for an email + password, or null. Unknown emails and accounts without a password
 * (OAuth-only) are checked against a dummy hash, so every failure costs one scrypt.
 */
export async function verifyCredentials({ email, password }: SignInInput): Promise<SessionUser | null> {
  const [row] = await getDb()
    .select({ ...accountColumns, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.email, email));
  const ok = await verifyPassword(password, row?.passwordHash ?? (await dummyPasswordHash()));
  if (!row?.passwordHash || !ok) return null;
  const account = toSessionUser(row);
  return account && syncAdminRole(account);
}

/**
 * The account for a verified OAuth email: the existing one with that email (so GitHub, Google
 * and password sign-ins of one person share one account), or a new password-less one.
 */
export async function findOrCreateOAuthAccount(profile: { email: string; name?: string | null }): Promise<SessionUser> {
  const email = profile.email.trim().toLowerCase();
  const db = getDb();
  const [existing] = await db.select(accountColumns).from(users).where(eq(users.email, email));
  const account = (existing && toSessionUser(existing)) ?? (await insertAccount({ email, name: profile.name, passwordHash: null }));
  if (account) return syncAdminRole(account);
  // Lost a race with a concurrent first sign-in for the same email: use that account.
  const [row] = await db.select(accountColumns).from(users).where(eq(users.email, email));
  const raced = row && toSessionUser(row);
  if (!raced) throw new Error("OAuth account vanished after a conflicting insert");
  return syncAdminRole(raced);
}

/** Sign-up as the API and the form do it: rate limit per email + IP, then create the account. */
export async function signUp(input: SignUpInput, ip: string): Promise<SessionUser> {
  await limitSignUp(input.email, ip);
  return registerAccount(input);
}
