import { describe, expect, it } from "vitest";
import { COMMON_PASSWORDS, isCommonPassword } from "@/lib/auth/common-passwords";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/constants";
import { accountCallbackUrl, adminCallbackUrl, emailSchema, newPasswordSchema, safeCallbackUrl, signUpSchema } from "@/lib/auth/schemas";
import "@/lib/validation/messages";

describe("sign-up input", () => {
  it("normalises the email and requires 8+ character passwords", () => {
    expect(signUpSchema.parse({ email: "  Ada@Example.COM ", password: "tram-line" })).toEqual({
      email: "ada@example.com",
      password: "tram-line",
    });
    expect(signUpSchema.safeParse({ email: "ada@example.com", password: "tramlin" }).success).toBe(false);
    expect(signUpSchema.safeParse({ email: "not-an-email", password: "tram-line" }).success).toBe(false);
    expect(signUpSchema.safeParse({ email: "ada@example.com", password: "x".repeat(201) }).success).toBe(false);
    expect(emailSchema.safeParse(`${"a".repeat(250)}@example.com`).success).toBe(false);
  });

  it("says an empty email is required, not that it is no email address", () => {
    for (const empty of ["", "   "]) expect(emailSchema.safeParse(empty).error?.issues.map((i) => i.message)).toEqual(["is required"]);
    expect(emailSchema.safeParse("not-an-email").error?.issues.map((i) => i.message)).toEqual(["must be an email address"]);
  });
});

describe("a new password", () => {
  const messages = (password: string) => newPasswordSchema.safeParse(password).error?.issues.map((i) => i.message) ?? [];

  it("refuses a password of spaces alone, whatever its length, saying so", () => {
    // was: ten spaces made an account (only the length was checked)
    for (const blank of [" ".repeat(10), "\t".repeat(8), "\u00a0".repeat(12), " \n ".repeat(4)]) expect(messages(blank), JSON.stringify(blank)).toEqual(["must not be only spaces"]);
    // too short says only that
    expect(messages("   ")).toEqual(["must be at least 8 characters"]);
    // spaces inside a password are fine (a passphrase)
    expect(messages("  a passphrase with spaces  ")).toEqual([]);
  });

  it("refuses the most common passwords, whatever their case, saying so", () => {
    // was: "password" and "12345678" made an account
    for (const common of ["password", "12345678", "Password1", "QWERTYUIOP", " iloveyou ", "ｐａｓｓｗｏｒｄ"]) {
      expect(messages(common), common).toEqual(["must not be one of the most common passwords"]);
    }
    // a word from the list with more to it is not the list's
    for (const fine of ["password-1", "correct horse battery staple", "12345678-tram", "popcorn-and-a-movie"]) expect(messages(fine), fine).toEqual([]);
  });

  it("keeps a list the length rule does not already cover: lower-case, unique, each 8+ characters", () => {
    expect(COMMON_PASSWORDS.length).toBeGreaterThanOrEqual(50);
    expect(COMMON_PASSWORDS.length).toBeLessThanOrEqual(250);
    expect(new Set(COMMON_PASSWORDS).size).toBe(COMMON_PASSWORDS.length);
    for (const p of COMMON_PASSWORDS) {
      expect(p, p).toBe(p.toLowerCase().trim());
      expect(p.length, p).toBeGreaterThanOrEqual(MIN_PASSWORD_LENGTH);
      expect(isCommonPassword(p), p).toBe(true);
    }
  });

  it("has no composition rules: letters alone, digits alone or one repeated word are fine when uncommon", () => {
    for (const fine of ["violetsky", "48151623", "tramtramtram"]) expect(messages(fine), fine).toEqual([]);
  });
});

describe("safeCallbackUrl", () => {
  it.each([
    ["/movies/12", "/movies/12"],
    ["/admin?tab=keys#top", "/admin?tab=keys#top"],
    ["/", "/"],
  ])("keeps the same-site path %s", (raw, expected) => {
    expect(safeCallbackUrl(raw)).toBe(expected);
  });

  it.each([
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
    "movies/1",
    "/\u0000x",
    "/signin",
    "/signup/",
    "",
    undefined,
    42,
  ])("falls back to / for %j (other origins, loops, junk)", (raw) => {
    expect(safeCallbackUrl(raw)).toBe("/");
  });
});

describe("the callback a signed-out visitor to an admin or account page comes back to", () => {
  it.each([
    ["/admin", "/admin"],
    ["/admin/runs?compare=3,5", "/admin/runs?compare=3,5"],
    ["/admin/runs?compare=3%2C5&sort=ndcg", "/admin/runs?compare=3%2C5&sort=ndcg"],
    ["/admin/experiments?id=4", "/admin/experiments?id=4"],
    // a query may name another address: it stays a query of the admin page, which ignores it
    ["/admin?next=//evil.example", "/admin?next=//evil.example"],
  ])("keeps the admin page %s with its query", (requested, expected) => {
    expect(adminCallbackUrl(requested)).toBe(expected);
  });

  it.each([
    "//evil.example/admin",
    "/\\evil.example/admin",
    "https://evil.example/admin?x=1",
    "javascript:alert(1)//admin",
    "/%2F%2Fevil.example/admin",
    "/%5Cevil.example",
    "/admin//evil.example",
    "/admin/../signin",
    "/admin/%2e%2e/movies",
    "/admin/runs?compare=3\\5",
    "/admin/runs?x=\u0000",
    "/admin\tx",
    "/administrator",
    "/movies/1?from=/admin",
    "admin/runs",
    "",
    null,
    undefined,
  ])("falls back to /admin for %j", (requested) => {
    expect(adminCallbackUrl(requested)).toBe("/admin");
  });

  it("keeps an account page with its query, and sends anything else to /", () => {
    expect(accountCallbackUrl("/me/watchlist?page=2")).toBe("/me/watchlist?page=2");
    expect(accountCallbackUrl("/onboarding?next=%2Fmovies%2F603")).toBe("/onboarding?next=%2Fmovies%2F603");
    for (const requested of ["//evil.example/me/x", "/me/../admin", "/admin/runs?compare=3,5", "/me/", "https://evil.example/onboarding", null]) {
      expect(accountCallbackUrl(requested), String(requested)).toBe("/");
    }
  });
});
