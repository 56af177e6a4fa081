import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { registerAccount, verifyCredentials } from "@/lib/auth/accounts";
import { fieldSentence } from "@/lib/validation/sentence";
import { redirectTarget } from "../../helpers/redirect";
import { useTempDb } from "../../helpers/temp-db";

// The account page's forms (lib/account/actions.ts) as their server actions answer them: what each
// field says when something is wrong, shown as the form shows it (components/auth/text-field.tsx).

const session = vi.hoisted(() => ({ user: null as null | { id: number; email: string; name: null; role: "user" } }));
vi.mock("@/lib/auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth")>()),
  getSessionUser: async () => session.user,
}));
// no Auth.js here: signing in again after a change and signing out are Auth.js's (tests/e2e/account.spec.ts)
vi.mock("@/lib/auth/next-auth", () => ({ signIn: vi.fn(async () => undefined), signOut: vi.fn(async () => undefined) }));

const { changePasswordAction, deleteAccountAction } = await import("@/lib/account/actions");

let cleanup: () => Promise<void>;
beforeAll(() => {
  ({ cleanup } = useTempDb());
});
afterAll(() => cleanup());

let n = 0;
beforeEach(async () => {
  // a fresh account each time: the current-password checks are limited per account
  const email = `form-${++n}@example.com`;
  const account = await registerAccount({ email, password: "first-password" });
  session.user = { id: account.id, email, name: null, role: "user" };
});

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};

/** What each field of the form says, as the form shows it next to the field (labels as on the page). */
async function shown(state: Promise<{ fieldErrors?: Record<string, string[]>; error?: string }>, labels: Record<string, string>) {
  const { fieldErrors = {}, error } = await state;
  return { error, ...Object.fromEntries(Object.entries(fieldErrors).map(([field, messages]) => [field, fieldSentence(labels[field] ?? field, messages)])) };
}

const CHANGE = { currentPassword: "Current password", newPassword: "New password" };
const change = (fields: Record<string, string>) => shown(changePasswordAction({}, form(fields)), CHANGE);

describe("the module", () => {
  it("exports nothing but its async actions: Next refuses to build a \"use server\" module that exports anything else", async () => {
    // was: the forms' messages were exported from here, and `next build` failed
    const mod = await import("@/lib/account/actions");
    for (const [name, value] of Object.entries(mod)) expect(value, name).toBeTypeOf("function");
    for (const [name, value] of Object.entries(mod)) expect((value as () => unknown).constructor.name, name).toBe("AsyncFunction");
  });
});

describe("changing the password: what the form says", () => {
  it("asks for both passwords when submitted empty (was: the new one 'must differ from your current password')", async () => {
    expect(await change({ currentPassword: "", newPassword: "" })).toEqual({
      error: undefined,
      currentPassword: "Enter your current password.",
      newPassword: "Enter a new password.",
    });
    expect(await change({ currentPassword: "first-password", newPassword: "" })).toEqual({ error: undefined, newPassword: "Enter a new password." });
    expect(await change({ currentPassword: "", newPassword: "second-password" })).toEqual({ error: undefined, currentPassword: "Enter your current password." });
  });

  it("says plainly that a wrong current password is not the current one (was: 'Current password must be your current password.')", async () => {
    expect(await change({ currentPassword: "not-my-password", newPassword: "second-password" })).toEqual({
      error: undefined,
      currentPassword: "That is not your current password.",
    });
    expect(await verifyCredentials({ email: session.user!.email, password: "first-password" })).not.toBeNull();
  });

  it("names the new password's rule it breaks, as sign-up does", async () => {
    expect(await change({ currentPassword: "first-password", newPassword: "short" })).toEqual({ error: undefined, newPassword: "New password must be at least 8 characters." });
    expect(await change({ currentPassword: "first-password", newPassword: " ".repeat(10) })).toEqual({ error: undefined, newPassword: "New password must not be only spaces." });
    expect(await change({ currentPassword: "first-password", newPassword: "password123" })).toEqual({
      error: undefined,
      newPassword: "New password must not be one of the most common passwords.",
    });
    expect(await change({ currentPassword: "first-password", newPassword: "first-password" })).toEqual({
      error: undefined,
      newPassword: "That is your current password. Choose a different one.",
    });
    expect(await verifyCredentials({ email: session.user!.email, password: "first-password" })).not.toBeNull();
  });

  it("changes it when both are right, and comes back to the account page saying so", async () => {
    expect(await redirectTarget(() => changePasswordAction({}, form({ currentPassword: "first-password", newPassword: "second-password" })))).toBe("/me/account?password=changed");
    expect(await verifyCredentials({ email: session.user!.email, password: "second-password" })).not.toBeNull();
  });
});

describe("deleting the account: what the form says", () => {
  const remove = (fields: Record<string, string>) => shown(deleteAccountAction({}, form(fields)), { password: "Your password", email: "Your email address" });

  it("asks for the password, and says plainly when it is not the current one (was: 'Your password must be your current password.')", async () => {
    expect(await remove({ password: "" })).toEqual({ error: undefined, password: "Enter your password." });
    expect(await remove({ password: "not-my-password" })).toEqual({ error: undefined, password: "That is not your current password." });
    expect(await verifyCredentials({ email: session.user!.email, password: "first-password" })).not.toBeNull();
  });
});
