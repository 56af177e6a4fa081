import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET, POST } from "@/app/api/me/export/route";
import { createApiKey } from "@/lib/apikeys";
import { registerAccount } from "@/lib/auth/accounts";
import { readSessionClaims } from "@/lib/auth/session";
import { seedCatalog } from "@/lib/catalog/seed";
import { recordInteraction } from "@/lib/interactions/queries";
import { documentedResponseSchema } from "@/lib/openapi/document";
import { call, expectErrorShape } from "../helpers/call";
import { useTempDb } from "../helpers/temp-db";

vi.mock("@/lib/auth/session", () => ({ readSessionClaims: vi.fn(async () => null) }));
const signedInAs = (id: number | null) => vi.mocked(readSessionClaims).mockResolvedValue(id === null ? null : { id });

let tmp: ReturnType<typeof useTempDb>;
let alice: number;
let key: string;
beforeAll(async () => {
  tmp = useTempDb();
  await seedCatalog();
  alice = (await registerAccount({ email: "alice@example.com", password: "password-1" })).id;
  key = (await createApiKey("test", alice)).key;
  await recordInteraction({ userId: alice, movieId: 19995, kind: "rating", value: 3.5 });
});
afterAll(() => tmp.cleanup());
beforeEach(() => signedInAs(null));

describe("GET /api/me/export", () => {
  it("gives the signed-in account's data as a private JSON download in the documented shape", async () => {
    signedInAs(alice);
    const { status, headers, json } = await call(GET, "/api/me/export");
    expect(status).toBe(200);
    expect(headers.get("cache-control")).toBe("no-store");
    expect(headers.get("content-disposition")).toBe(`attachment; filename="matinee-account-${alice}.json"`);
    expect(documentedResponseSchema("get", "/api/me/export", 200)!.parse(json)).toEqual(json);
    expect(json.account.email).toBe("alice@example.com");
    expect(json.interactions).toEqual([expect.objectContaining({ movieId: 19995, kind: "rating", value: 3.5, title: "Avatar" })]);
  });

  it("is for a session only: signed out, or with an API key, it is 401 in the error shape", async () => {
    for (const headers of [{}, { authorization: `Bearer ${key}` }] as Record<string, string>[]) {
      const res = await call(GET, "/api/me/export", { headers });
      expect(res.status).toBe(401);
      expect(expectErrorShape(res.json).code).toBe("unauthorized");
    }
  });

  it("takes no parameters and no other method", async () => {
    signedInAs(alice);
    const query = await call(GET, "/api/me/export?format=csv");
    expect(query.status).toBe(400);
    expect(expectErrorShape(query.json).details).toMatchObject({ fields: { format: expect.any(Array) } });
    const post = await call(POST, "/api/me/export", { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });
});
