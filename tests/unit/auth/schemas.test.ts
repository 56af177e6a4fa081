import { describe, expect, it } from "vitest";
import { emailSchema, safeCallbackUrl, signUpSchema } from "@/lib/auth/schemas";

describe("sign-up input", () => {
  it("normalises the email and requires 8+ character passwords", () => {
    expect(signUpSchema.parse({ email: "  Ada@Example.COM ", password: "12345678" })).toEqual({
      email: "ada@example.com",
      password: "12345678",
    });
    expect(signUpSchema.safeParse({ email: "ada@example.com", password: "1234567" }).success).toBe(false);
    expect(signUpSchema.safeParse({ email: "not-an-email", password: "12345678" }).success).toBe(false);
    expect(signUpSchema.safeParse({ email: "ada@example.com", password: "x".repeat(201) }).success).toBe(false);
    expect(emailSchema.safeParse(`${"a".repeat(250)}@example.com`).success).toBe(false);
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
