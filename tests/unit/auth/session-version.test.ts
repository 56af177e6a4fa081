import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { changePassword } from "@/lib/account/settings";
import { registerAccount } from "@/lib/auth/accounts";
import { revokedSessions } from "@/lib/db/schema";
import { buildAuthConfig } from "@/lib/auth/config";
import { auth } from "@/lib/auth/next-auth";
import { getSessionUser } from "@/lib/auth/guards";
import { getDb } from "@/lib/db";
import { testingPostgres, useTempDb } from "../../helpers/temp-db";

// A session is signed in at the account's session version; a password change moves the version
// on, and a session from before reads as signed out (the changing one signs in again). The check
// is getSessionUser's (one read of the account: findSessionAccount), so a database failure is the
// request's error, not a sign-out.

vi.mock("@/lib/auth/next-auth", () => ({ auth: vi.fn() }));
/** The signed-in account's id as the app's pages and handlers see it. */
const signedInId = async () => (await getSessionUser())?.id ?? null;
const sessionIs = (user: Record<string, unknown> | null) => vi.mocked(auth as unknown as () => Promise<unknown>).mockResolvedValue(user && { user, expires: "2099-01-01T00:00:00.000Z" });

let tmp: ReturnType<typeof useTempDb>;
beforeAll(() => {
  process.env.AUTH_SECRET ??= "test-secret-0123456789abcdef";
  tmp = useTempDb();
});
afterAll(() => tmp.cleanup());

describe("session versions", () => {
  it("keeps a session signed in until the password changes, then signs it out; one signed in after is fine", async () => {
    const ada = await registerAccount({ email: "ada@example.com", password: "first-password" });
    sessionIs({ id: String(ada.id), role: "user", sv: 0 });
    expect(await signedInId()).toBe(ada.id);
    // a session from before versions existed counts as version 0
    sessionIs({ id: String(ada.id), role: "user" });
    expect(await signedInId()).toBe(ada.id);

    await changePassword(ada.id, { currentPassword: "first-password", newPassword: "second-password" });
    sessionIs({ id: String(ada.id), role: "user", sv: 0 });
    expect(await signedInId()).toBeNull();
    sessionIs({ id: String(ada.id), role: "user" });
    expect(await signedInId()).toBeNull();
    sessionIs({ id: String(ada.id), role: "user", sv: 1 });
    expect(await signedInId()).toBe(ada.id);
    sessionIs(null);
    expect(await signedInId()).toBeNull();
  });

  it("signs in at the account's current version (the jwt callback), and the session shows ids only", async () => {
    const grace = await registerAccount({ email: "grace@example.com", password: "first-password" });
    await changePassword(grace.id, { currentPassword: "first-password", newPassword: "second-password" });
    const callbacks = buildAuthConfig().callbacks!;
    const jwt = callbacks.jwt as unknown as (args: Record<string, unknown>) => Promise<Record<string, unknown>>;
    const token = await jwt({ token: {}, user: { id: String(grace.id), role: "user", email: "grace@example.com" }, account: { type: "credentials" } });
    expect(token).toMatchObject({ uid: grace.id, sv: 1, sid: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    // each sign-in is a session of its own
    const again = await jwt({ token: {}, user: { id: String(grace.id), role: "user", email: "grace@example.com" }, account: { type: "credentials" } });
    expect(again.sid).not.toBe(token.sid);
    // a later request keeps the token's id as Auth.js renews it
    expect((await jwt({ token })).sid).toBe(token.sid);
    const session = callbacks.session as unknown as (args: Record<string, unknown>) => { user: Record<string, unknown> };
    // whoever holds a cookie reads no email or name from /api/auth/session
    expect(session({ session: { user: { email: "grace@example.com", name: "Grace" }, expires: "x" }, token }).user).toEqual({ id: String(grace.id), role: "user", sv: 1, sid: token.sid });
  });

  it("signing out ends that session's every copy, and no other session of the account", async () => {
    const ada = await registerAccount({ email: "hedy@example.com", password: "first-password" });
    const signOut = buildAuthConfig().events!.signOut as unknown as (message: { token: Record<string, unknown> }) => Promise<void>;
    const signedOut = { id: String(ada.id), role: "user", sv: 0, sid: "0b9f3c1e-0000-4000-8000-000000000001" };
    const other = { ...signedOut, sid: "0b9f3c1e-0000-4000-8000-000000000002" };
    sessionIs(signedOut);
    expect(await signedInId()).toBe(ada.id);
    const before = Date.now();
    await signOut({ token: { uid: ada.id, sv: 0, sid: signedOut.sid } });
    // was: a copy of the cookie (another tab, or stolen) kept working until it expired
    sessionIs(signedOut);
    expect(await signedInId()).toBeNull();
    sessionIs(other);
    expect(await signedInId()).toBe(ada.id);
    // a session from before sessions had an id cannot be told apart: it stays signed in
    sessionIs({ id: String(ada.id), role: "user", sv: 0 });
    expect(await signedInId()).toBe(ada.id);
    await signOut({ token: { uid: ada.id, sv: 0 } });
    // kept until no copy of the cookie can still be valid: 30 days, as the cookie's own lifetime
    const [row] = await getDb().select().from(revokedSessions);
    expect(row).toMatchObject({ sid: signedOut.sid, userId: ada.id });
    expect(row.expiresAt - before).toBeGreaterThanOrEqual(30 * 24 * 3600 * 1000);
    expect(row.expiresAt - Date.now()).toBeLessThanOrEqual(30 * 24 * 3600 * 1000);
    // signing out twice (two tabs) is fine
    await signOut({ token: { uid: ada.id, sv: 0, sid: signedOut.sid } });
    expect(await getDb().select().from(revokedSessions)).toHaveLength(1);
  });

  it("forgets signed-out sessions once they would have expired, and deleting the account deletes them", async () => {
    const { revokeSession } = await import("@/lib/auth/accounts");
    const ada = await registerAccount({ email: "mary@example.com", password: "first-password" });
    const now = Date.now();
    await revokeSession({ id: ada.id, sid: "old" }, now + 500, now);
    await revokeSession({ id: ada.id, sid: "current" }, now + 5000, now);
    const sids = async () => (await getDb().select({ sid: revokedSessions.sid }).from(revokedSessions)).map((r) => r.sid).sort();
    expect(await sids()).toContain("old");
    // a second later "old" has expired: the next sign-out deletes it
    await revokeSession({ id: ada.id, sid: "next" }, now + 6000, now + 1000);
    expect(await sids()).not.toContain("old");
    expect(await sids()).toEqual(expect.arrayContaining(["current", "next"]));
    const { users } = await import("@/lib/db/schema");
    const { eq } = await import("drizzle-orm");
    await getDb().delete(users).where(eq(users.id, ada.id));
    expect(await sids()).not.toContain("current");
    // a session of an account deleted since: nothing to record
    await revokeSession({ id: ada.id, sid: "gone" }, now + 1000, now);
    expect(await sids()).not.toContain("gone");
  });

  it("a database that cannot be read is the request's error, not a sign-out", async () => {
    const ada = await registerAccount({ email: "lin@example.com", password: "first-password" });
    sessionIs({ id: String(ada.id), role: "user", sv: 0 });
    const rename = (from: string, to: string) =>
      testingPostgres() ? (getDb() as any).execute(sql.raw(`ALTER TABLE ${from} RENAME TO ${to}`)) : (getDb() as any).$client.exec(`ALTER TABLE ${from} RENAME TO ${to}`);
    await rename("users", "users_away");
    try {
      await expect(signedInId()).rejects.toThrow();
    } finally {
      await rename("users_away", "users");
    }
    expect(await signedInId()).toBe(ada.id);
  });
});
