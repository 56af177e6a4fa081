import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as signup } from "@/app/api/auth/signup/route";
import { SIGN_UP_FAILED } from "@/lib/auth/messages";
import { SIGN_UP_LIMIT } from "@/lib/auth/limits";
import { call, expectErrorShape } from "../helpers/call";
import { untilWindowHasLeft } from "../helpers/ratelimit";
import { useTempDb } from "../helpers/temp-db";

let tmp: ReturnType<typeof useTempDb>;
beforeAll(() => {
  tmp = useTempDb();
});
afterAll(() => tmp.cleanup());

const post = (body: unknown, ip = "198.51.100.1", headers: Record<string, string> = {}) =>
  call(signup, "/api/auth/signup", { method: "POST", body, headers: { "x-forwarded-for": ip, ...headers } });

describe("POST /api/auth/signup", () => {
  it("creates an account (201, no password in the response); the first account on a fresh install is admin", async () => {
    const { status, json, headers, text } = await post({ email: "Owner@Example.com", password: "opening-night" });
    expect(status).toBe(201);
    expect(headers.get("cache-control")).toBe("no-store");
    expect(json.user).toMatchObject({ email: "owner@example.com", role: "admin" });
    expect(text).not.toMatch(/opening-night|scrypt/);
    const second = await post({ email: "guest@example.com", password: "second-show" });
    expect(second.json.user.role).toBe("user");
  });

  it("answers a duplicate email with 409 and a generic message", async () => {
    const { status, json } = await post({ email: "owner@example.com", password: "whatever-123" });
    expect(status).toBe(409);
    expect(expectErrorShape(json)).toMatchObject({ code: "conflict", message: SIGN_UP_FAILED });
  });

  it.each([
    [{ email: "not-an-email", password: "long-enough" }, "email"],
    [{ email: "a@example.com", password: "short" }, "password"],
    [{ email: "a@example.com" }, "password"],
    // a field sign-up does not take is refused like in every other body, not silently dropped
    [{ email: "a@example.com", password: "long-enough", name: "QA" }, "name"],
  ])("rejects %j with 400 and field details", async (body, field) => {
    const { status, json } = await post(body);
    expect(status).toBe(400);
    const error = expectErrorShape(json);
    expect(error.code).toBe("bad_request");
    expect((error.details as { fields: Record<string, string[]> }).fields).toHaveProperty(field);
  });

  it.each([
    [" ".repeat(10), "must not be only spaces"],
    ["password", "must not be one of the most common passwords"],
    ["12345678", "must not be one of the most common passwords"],
    ["Password123", "must not be one of the most common passwords"],
  ])("refuses the password %j with 400 saying why, and creates no account", async (password, message) => {
    // was: 201 for each of them (only the length was checked)
    const email = `weak-${password.trim() || "blank"}@example.com`.toLowerCase();
    const { status, json } = await post({ email, password });
    expect(status).toBe(400);
    expect(expectErrorShape(json)).toMatchObject({ code: "bad_request", details: { fields: { password: [message] } } });
    expect((await post({ email, password: "a-better-password" })).status).toBe(201);
  });

  it("rejects malformed JSON (400) and non-JSON bodies (415)", async () => {
    expect((await post("{not json")).status).toBe(400);
    const form = await call(signup, "/api/auth/signup", {
      method: "POST",
      body: "email=a%40example.com&password=long-enough",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
  });

  it(`rate-limits to ${SIGN_UP_LIMIT.limit} attempts per email + IP with 429 and Retry-After`, async () => {
    await untilWindowHasLeft(SIGN_UP_LIMIT.windowMs, 15_000);
    const body = { email: "spam@example.com", password: "password-123" };
    const statuses = [];
    for (let i = 0; i <= SIGN_UP_LIMIT.limit; i++) statuses.push((await post(body, "192.0.2.50")).status);
    expect(statuses[0]).toBe(201);
    expect(statuses.slice(1, SIGN_UP_LIMIT.limit)).toEqual(Array(SIGN_UP_LIMIT.limit - 1).fill(409));
    const limited = await post(body, "192.0.2.50");
    expect(limited.status).toBe(429);
    expect(expectErrorShape(limited.json).code).toBe("rate_limited");
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    // the draft's fields name the per email + IP policy
    expect(limited.headers.get("ratelimit")).toBe(`"signup";r=0;t=${retryAfter}`);
    expect(limited.headers.get("ratelimit-policy")).toBe(`"signup";q=${SIGN_UP_LIMIT.limit};w=${SIGN_UP_LIMIT.windowMs / 1000}`);
    // Another address is not affected.
    expect((await post({ email: "fresh@example.com", password: "password-123" }, "192.0.2.51")).status).toBe(201);
  });
});
