import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changePassword } from "@/lib/account/settings";
import { registerAccount } from "@/lib/auth/accounts";
import { buildAuthConfig } from "@/lib/auth/config";
import { useTempDb } from "../../helpers/temp-db";

// A session is signed in at the account's session version; a password change moves the version
// on, and a session from before reads as signed out (the changing one signs in again).

let tmp: ReturnType<typeof useTempDb>;
beforeAll(() => {
  process.env.AUTH_SECRET ??= "test-secret-0123456789abcdef";
  tmp = useTempDb();
});
afterAll(() => tmp.cleanup());

type SessionCallback = (args: { session: { user: Record<string, unknown>; expires: string }; token: Record<string, unknown> }) => Promise<{ user: { id: string } }>;

async function sessionUserId(token: Record<string, unknown>): Promise<string> {
  const callback = buildAuthConfig().callbacks!.session as unknown as SessionCallback;
  return (await callback({ session: { user: {}, expires: "2099-01-01T00:00:00.000Z" }, token })).user.id;
}

describe("session versions", () => {
  it("keeps a session signed in until the password changes, then signs it out; one signed in after is fine", async () => {
    const ada = await registerAccount({ email: "ada@example.com", password: "first-password" });
    const before = { uid: ada.id, role: "user", sv: 0 };
    expect(await sessionUserId(before)).toBe(String(ada.id));
    // a token from before versions existed counts as version 0
    expect(await sessionUserId({ uid: ada.id, role: "user" })).toBe(String(ada.id));

    await changePassword(ada.id, { currentPassword: "first-password", newPassword: "second-password" });
    expect(await sessionUserId(before)).toBe("");
    expect(await sessionUserId({ uid: ada.id, role: "user" })).toBe("");
    expect(await sessionUserId({ uid: ada.id, role: "user", sv: 1 })).toBe(String(ada.id));
  });
});
