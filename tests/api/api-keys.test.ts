import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { DELETE } from "@/app/api/admin/api-keys/[id]/route";
import { GET, POST } from "@/app/api/admin/api-keys/route";
import { verifyApiKey } from "@/lib/apikeys";
import { registerAccount } from "@/lib/auth/accounts";
import { readSessionClaims } from "@/lib/auth/session";
import { documentedResponseSchema } from "@/lib/openapi/document";
import { call, expectErrorShape } from "../helpers/call";
import { useTempDb } from "../helpers/temp-db";

// Sessions come from next/headers inside Next; here the session reader is replaced.
vi.mock("@/lib/auth/session", () => ({ readSessionClaims: vi.fn(async () => null) }));
const signedInAs = (id: number | null) => vi.mocked(readSessionClaims).mockResolvedValue(id === null ? null : { id });

let tmp: ReturnType<typeof useTempDb>;
let adminId: number;
let userId: number;
beforeAll(async () => {
  tmp = useTempDb();
  adminId = (await registerAccount({ email: "admin@example.com", password: "password-1" })).id;
  userId = (await registerAccount({ email: "user@example.com", password: "password-2" })).id;
});
afterAll(() => tmp.cleanup());
beforeEach(() => signedInAs(null));

const create = (name: unknown) => call(POST, "/api/admin/api-keys", { method: "POST", body: { name } });
const revoke = (id: string) => call(DELETE, `/api/admin/api-keys/${id}`, { method: "DELETE", params: { id } });

describe("admin API key routes", () => {
  it.each([
    ["GET", () => call(GET, "/api/admin/api-keys")],
    ["POST", () => create("x")],
    ["DELETE", () => revoke("1")],
  ])("%s: 401 when signed out, 403 for a non-admin", async (_m, request) => {
    const anon = await request();
    expect(anon.status).toBe(401);
    expect(expectErrorShape(anon.json).code).toBe("unauthorized");
    signedInAs(userId);
    const user = await request();
    expect(user.status).toBe(403);
    expect(expectErrorShape(user.json).code).toBe("forbidden");
  });

  it("lets an admin create (key shown once), list (no secrets) and revoke a key", async () => {
    signedInAs(adminId);
    const created = await create("Partner site");
    expect(created.status).toBe(201);
    expect(created.headers.get("cache-control")).toBe("no-store");
    const { key, apiKey } = created.json;
    expect(key).toMatch(/^mk_/);
    expect(apiKey).toMatchObject({ name: "Partner site", createdBy: adminId, revokedAt: null });
    expect(await verifyApiKey(key)).not.toBeNull();

    const list = await call(GET, "/api/admin/api-keys");
    expect(list.status).toBe(200);
    expect(list.json.items.map((k: { id: number }) => k.id)).toContain(apiKey.id);
    expect(list.text).not.toContain(key);
    expect(list.text).not.toMatch(/keyHash|key_hash/);

    const revoked = await revoke(String(apiKey.id));
    expect(revoked.status).toBe(200);
    expect(revoked.json.apiKey.revokedAt).toEqual(expect.any(Number));
    expect(await verifyApiKey(key)).toBeNull();
  });

  it("answers what /api/openapi.json documents for each operation", async () => {
    signedInAs(adminId);
    const conforms = (method: string, path: string, res: { status: number; json: unknown }) => {
      const schema = documentedResponseSchema(method, path, res.status);
      expect(schema, `${method} ${path} ${res.status} is documented`).toBeDefined();
      const parsed = schema!.safeParse(res.json);
      expect(parsed.error?.issues ?? [], `${method} ${path} ${res.status}`).toEqual([]);
    };
    const created = await create("Conformance");
    conforms("post", "/api/admin/api-keys", created);
    conforms("get", "/api/admin/api-keys", await call(GET, "/api/admin/api-keys"));
    conforms("delete", "/api/admin/api-keys/{id}", await revoke(String(created.json.apiKey.id)));
    // revoking again is idempotent: the same body
    conforms("delete", "/api/admin/api-keys/{id}", await revoke(String(created.json.apiKey.id)));
  });

  it("validates input: 400 for a bad name or id, 404 for an unknown key", async () => {
    signedInAs(adminId);
    expect((await create("")).status).toBe(400);
    expect((await create(42)).status).toBe(400);
    // in the one wording (it said "Give the key a name" and "Names are at most 80 characters")
    expect(expectErrorShape((await create("   ")).json).details).toEqual({ fields: { name: ["must not be empty"] } });
    expect(expectErrorShape((await create("x".repeat(81))).json).details).toEqual({ fields: { name: ["must be at most 80 characters"] } });
    expect((await create("x".repeat(80))).status).toBe(201);
    expect((await create("a\u0000b")).status).toBe(400);
    expect((await create("partner\u202eetis")).status).toBe(400);
    expect((await revoke("abc")).status).toBe(400);
    expect((await revoke("0")).status).toBe(400);
    const missing = await revoke("999999");
    expect(missing.status).toBe(404);
    expect(expectErrorShape(missing.json).code).toBe("not_found");
  });
});
