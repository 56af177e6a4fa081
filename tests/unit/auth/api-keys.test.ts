import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, listApiKeys, revokeApiKey, verifyApiKey } from "@/lib/apikeys";
import { registerAccount } from "@/lib/auth/accounts";
import { getDb, rawRows } from "@/lib/db";
import { apiKeys } from "@/lib/db/schema";
import { useTempDb } from "../../helpers/temp-db";

let tmp: ReturnType<typeof useTempDb>;
let adminId: number;
beforeAll(async () => {
  tmp = useTempDb();
  adminId = (await registerAccount({ email: "admin@example.com", password: "password-1" })).id;
});
afterAll(() => tmp.cleanup());

describe("API keys", () => {
  it("returns a mk_ key once and stores only its SHA-256 and a prefix", async () => {
    const { key, apiKey } = await createApiKey("  Partner site ", adminId);
    expect(key).toMatch(/^mk_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({ name: "Partner site", prefix: key.slice(0, 11), createdBy: adminId, createdByEmail: "admin@example.com" });
    expect(apiKey).not.toHaveProperty("keyHash");
    const [raw] = await rawRows<Record<string, unknown>>(sql`select * from api_keys where id = ${apiKey.id}`);
    expect(JSON.stringify(raw)).not.toContain(key);
    expect(raw.key_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("makes a different key every time", async () => {
    const [a, b] = await Promise.all([createApiKey("a", adminId), createApiKey("b", adminId)]);
    expect(a.key).not.toBe(b.key);
  });

  it("verifies a key (with or without 'Bearer ') and records when it was used", async () => {
    const { key, apiKey } = await createApiKey("verify", adminId);
    expect(apiKey.lastUsedAt).toBeNull();
    const before = Date.now();
    const verified = await verifyApiKey(key);
    expect(verified?.id).toBe(apiKey.id);
    expect(verified?.lastUsedAt).toBeGreaterThanOrEqual(before);
    expect((await verifyApiKey(`Bearer ${key}`))?.id).toBe(apiKey.id);
    const row = (await getDb().select().from(apiKeys)).find((k) => k.id === apiKey.id)!;
    expect(row.lastUsedAt).toBeGreaterThanOrEqual(before);
  });

  it.each([null, undefined, "", "mk_short", "sk_" + "a".repeat(43), "mk_" + "a".repeat(43)])("rejects %j", async (bearer) => {
    expect(await verifyApiKey(bearer)).toBeNull();
  });

  it("rejects a key once revoked; revoking again keeps the first time", async () => {
    const { key, apiKey } = await createApiKey("to revoke", adminId);
    const revoked = await revokeApiKey(apiKey.id);
    expect(revoked.revokedAt).not.toBeNull();
    expect(await verifyApiKey(key)).toBeNull();
    expect((await revokeApiKey(apiKey.id)).revokedAt).toBe(revoked.revokedAt);
    await expect(revokeApiKey(999_999)).rejects.toMatchObject({ code: "not_found" });
  });

  it("lists keys newest first without secrets", async () => {
    const list = await listApiKeys();
    expect(list.length).toBeGreaterThanOrEqual(4);
    expect(list[0].id).toBeGreaterThan(list[list.length - 1].id);
    for (const k of list) expect(Object.keys(k)).not.toContain("keyHash");
  });

  it("rejects an empty name", async () => {
    await expect(createApiKey("   ", adminId)).rejects.toThrow();
  });
});
