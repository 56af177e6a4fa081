import { describe, expect, it } from "vitest";
import { dummyPasswordHash, hashPassword, verifyPassword } from "@/lib/auth/password";

describe("scrypt password hashing", () => {
  it("stores scrypt parameters, a per-password salt and the key, never the password", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(stored).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain("correct horse battery");
  });

  it("salts every hash: the same password hashes differently twice", async () => {
    const [a, b] = await Promise.all([hashPassword("same password"), hashPassword("same password")]);
    expect(a).not.toBe(b);
    expect(a.split("$")[4]).not.toBe(b.split("$")[4]);
  });

  it("verifies the right password and rejects a wrong one", async () => {
    const stored = await hashPassword("hunter2-hunter2");
    expect(await verifyPassword("hunter2-hunter2", stored)).toBe(true);
    expect(await verifyPassword("hunter2-hunter3", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("treats canonically equivalent Unicode the same (NFKC)", async () => {
    const stored = await hashPassword("caf\u00e9-latte"); // precomposed é
    expect(await verifyPassword("cafe\u0301-latte", stored)).toBe(true); // e + combining accent
  });

  it.each([
    "",
    "plaintext",
    "bcrypt$10$abc",
    "scrypt$15$8$1$c2FsdA$",
    "scrypt$99$8$1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5",
    "scrypt$x$8$1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5",
  ])("never matches a malformed stored hash %j", async (stored) => {
    expect(await verifyPassword("anything", stored)).toBe(false);
  });

  it("rejects a tampered hash", async () => {
    const stored = await hashPassword("password-one");
    const parts = stored.split("$");
    const key = Buffer.from(parts[5], "base64url");
    key[0] ^= 1;
    parts[5] = key.toString("base64url");
    expect(await verifyPassword("password-one", parts.join("$"))).toBe(false);
  });

  it("has a real dummy hash for unknown accounts, computed once", async () => {
    const a = await dummyPasswordHash();
    expect(a).toMatch(/^scrypt\$15\$/);
    expect(await dummyPasswordHash()).toBe(a);
  });
});
