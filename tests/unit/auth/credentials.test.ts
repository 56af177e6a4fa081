import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerAccount, verifyCredentials } from "@/lib/auth/accounts";
import { SIGN_UP_FAILED } from "@/lib/auth/messages";
import { getDb } from "@/lib/db";
import { users } from "@/lib/db/schema";
import { ApiError } from "@/lib/http/errors";
import { useTempDb } from "../../helpers/temp-db";

let tmp: ReturnType<typeof useTempDb>;
beforeAll(async () => {
  tmp = useTempDb();
  await registerAccount({ email: "ada@example.com", password: "analytical-engine" });
});
afterAll(() => tmp.cleanup());

async function median(fn: () => Promise<unknown>, runs = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

describe("email + password accounts", () => {
  it("stores only the scrypt hash and signs in with the right password", async () => {
    const [row] = await getDb().select().from(users);
    expect(row.passwordHash).toMatch(/^scrypt\$/);
    expect(row.passwordHash).not.toContain("analytical-engine");
    expect(await verifyCredentials({ email: "ada@example.com", password: "analytical-engine" })).toMatchObject({
      email: "ada@example.com",
    });
  });

  it("rejects a wrong password and an unknown email alike", async () => {
    expect(await verifyCredentials({ email: "ada@example.com", password: "difference-engine" })).toBeNull();
    expect(await verifyCredentials({ email: "nobody@example.com", password: "analytical-engine" })).toBeNull();
  });

  it("takes about as long for an unknown email as for a wrong password (no timing oracle)", async () => {
    await verifyCredentials({ email: "warmup@example.com", password: "x" }); // computes the dummy hash once
    const wrong = await median(() => verifyCredentials({ email: "ada@example.com", password: "wrong-password" }));
    const unknown = await median(() => verifyCredentials({ email: "nobody@example.com", password: "wrong-password" }));
    // Both are one scrypt (tens of ms); an early return for unknown emails would be ~0 ms.
    expect(unknown / wrong).toBeGreaterThan(0.5);
    expect(unknown / wrong).toBeLessThan(2);
  });

  it("refuses a duplicate email with a generic message that does not say it exists", async () => {
    const err = await registerAccount({ email: " ADA@example.com", password: "another-password" }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe("conflict");
    expect(err.message).toBe(SIGN_UP_FAILED);
    expect(err.message).not.toMatch(/exists|taken|registered/i);
  });
});
