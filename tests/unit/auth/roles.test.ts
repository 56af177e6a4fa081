import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findOrCreateOAuthAccount, registerAccount, verifyCredentials } from "@/lib/auth/accounts";
import { roleForNewAccount } from "@/lib/auth/roles";
import { getDb } from "@/lib/db";
import { users } from "@/lib/db/schema";
import { resetEnvForTests } from "@/lib/env";
import { useTempDb } from "../../helpers/temp-db";

describe("roleForNewAccount", () => {
  it("makes listed emails admins, whatever the order", () => {
    expect(roleForNewAccount("boss@example.com", { adminEmails: ["boss@example.com"], existingAccounts: 5 })).toBe("admin");
    expect(roleForNewAccount(" Boss@Example.com", { adminEmails: ["boss@example.com"], existingAccounts: 0 })).toBe("admin");
  });
  it("makes the first account admin only when ADMIN_EMAILS is empty", () => {
    expect(roleForNewAccount("first@example.com", { adminEmails: [], existingAccounts: 0 })).toBe("admin");
    expect(roleForNewAccount("second@example.com", { adminEmails: [], existingAccounts: 1 })).toBe("user");
    expect(roleForNewAccount("first@example.com", { adminEmails: ["boss@example.com"], existingAccounts: 0 })).toBe("user");
  });
});

describe("roles on a real database", () => {
  let tmp: ReturnType<typeof useTempDb>;
  beforeAll(() => {
    tmp = useTempDb();
  });
  afterAll(() => tmp.cleanup());
  afterEach(async () => {
    delete process.env.ADMIN_EMAILS;
    resetEnvForTests();
    await getDb().delete(users);
  });

  function setAdminEmails(value: string) {
    process.env.ADMIN_EMAILS = value;
    resetEnvForTests();
  }

  it("on a fresh install the first account is admin and later ones are users; simulated users don't count", async () => {
    await getDb().insert(users).values([{ externalId: "sim:1", source: "simulated" }, { externalId: "sim:2", source: "simulated" }]);
    const first = await registerAccount({ email: "first@example.com", password: "password-1" });
    const second = await registerAccount({ email: "second@example.com", password: "password-2" });
    expect(first.role).toBe("admin");
    expect(second.role).toBe("user");
  });

  it("two simultaneous first sign-ups produce exactly one admin", async () => {
    const accounts = await Promise.all(
      ["a@example.com", "b@example.com", "c@example.com"].map((email) => registerAccount({ email, password: "password-x" })),
    );
    expect(accounts.filter((a) => a.role === "admin")).toHaveLength(1);
  });

  it("with ADMIN_EMAILS set, only listed emails are admins (also via OAuth)", async () => {
    setAdminEmails("boss@example.com, ops@example.com");
    expect((await registerAccount({ email: "first@example.com", password: "password-1" })).role).toBe("user");
    expect((await registerAccount({ email: "Boss@Example.com", password: "password-2" })).role).toBe("admin");
    expect((await findOrCreateOAuthAccount({ email: "ops@example.com", name: "Ops" })).role).toBe("admin");
  });

  it("promotes an existing account at sign-in once its email is added to ADMIN_EMAILS", async () => {
    await registerAccount({ email: "owner@example.com", password: "password-1" });
    await registerAccount({ email: "later@example.com", password: "password-2" });
    setAdminEmails("later@example.com");
    const signedIn = await verifyCredentials({ email: "later@example.com", password: "password-2" });
    expect(signedIn?.role).toBe("admin");
  });

  it("links an OAuth sign-in to the existing account with the same email", async () => {
    const password = await registerAccount({ email: "same@example.com", password: "password-1" });
    const oauth = await findOrCreateOAuthAccount({ email: "SAME@example.com", name: "Same" });
    expect(oauth.id).toBe(password.id);
    const fresh = await findOrCreateOAuthAccount({ email: "new@example.com", name: "New" });
    expect(fresh.id).not.toBe(password.id);
    // An OAuth-only account has no password to guess.
    expect(await verifyCredentials({ email: "new@example.com", password: "" + "anything" })).toBeNull();
  });
});
