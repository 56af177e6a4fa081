import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { changePassword } from "@/lib/account/settings";
import { registerAccount } from "@/lib/auth/accounts";
import { buildAuthConfig } from "@/lib/auth/config";
import { auth } from "@/lib/auth/next-auth";
import { readSessionUserId } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { testingPostgres, useTempDb } from "../../helpers/temp-db";

// A session is signed in at the account's session version; a password change moves the version
// on, and a session from before reads as signed out (the changing one signs in again). The check
// is readSessionUserId's, so a database failure is the request's error, not a sign-out.

vi.mock("@/lib/auth/next-auth", () => ({ auth: vi.fn() }));
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
    expect(await readSessionUserId()).toBe(ada.id);
    // a session from before versions existed counts as version 0
    sessionIs({ id: String(ada.id), role: "user" });
    expect(await readSessionUserId()).toBe(ada.id);

    await changePassword(ada.id, { currentPassword: "first-password", newPassword: "second-password" });
    sessionIs({ id: String(ada.id), role: "user", sv: 0 });
    expect(await readSessionUserId()).toBeNull();
    sessionIs({ id: String(ada.id), role: "user" });
    expect(await readSessionUserId()).toBeNull();
    sessionIs({ id: String(ada.id), role: "user", sv: 1 });
    expect(await readSessionUserId()).toBe(ada.id);
    sessionIs(null);
    expect(await readSessionUserId()).toBeNull();
  });

  it("signs in at the account's current version (the jwt callback), and the session shows ids only", async () => {
    const grace = await registerAccount({ email: "grace@example.com", password: "first-password" });
    await changePassword(grace.id, { currentPassword: "first-password", newPassword: "second-password" });
    const callbacks = buildAuthConfig().callbacks!;
    const jwt = callbacks.jwt as unknown as (args: Record<string, unknown>) => Promise<Record<string, unknown>>;
    const token = await jwt({ token: {}, user: { id: String(grace.id), role: "user", email: "grace@example.com" }, account: { type: "credentials" } });
    expect(token).toMatchObject({ uid: grace.id, sv: 1 });
    const session = callbacks.session as unknown as (args: Record<string, unknown>) => { user: Record<string, unknown> };
    // whoever holds a cookie reads no email or name from /api/auth/session
    expect(session({ session: { user: { email: "grace@example.com", name: "Grace" }, expires: "x" }, token }).user).toEqual({ id: String(grace.id), role: "user", sv: 1 });
  });

  it("a database that cannot be read is the request's error, not a sign-out", async () => {
    const ada = await registerAccount({ email: "lin@example.com", password: "first-password" });
    sessionIs({ id: String(ada.id), role: "user", sv: 0 });
    const rename = (from: string, to: string) =>
      testingPostgres() ? (getDb() as any).execute(sql.raw(`ALTER TABLE ${from} RENAME TO ${to}`)) : (getDb() as any).$client.exec(`ALTER TABLE ${from} RENAME TO ${to}`);
    await rename("users", "users_away");
    try {
      await expect(readSessionUserId()).rejects.toThrow();
    } finally {
      await rename("users_away", "users");
    }
    expect(await readSessionUserId()).toBe(ada.id);
  });
});
