import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as recommendByPath } from "@/app/api/recommend/[userId]/route";
import { POST as batch } from "@/app/api/recommend/batch/route";
import { GET as recommend } from "@/app/api/recommend/route";
import { createApiKey } from "@/lib/apikeys";
import { registerAccount } from "@/lib/auth/accounts";
import { readSessionClaims } from "@/lib/auth/session";
import { resetEnvForTests } from "@/lib/env";
import { call, expectErrorShape } from "../helpers/call";
import { useTrainedDb } from "../helpers/trained-db";

// RECOMMEND_ACCESS=private: a user's recommendations (whose reasons name films from their history)
// only for an API key, an admin, or the user themself.

vi.mock("@/lib/auth/session", () => ({ readSessionClaims: vi.fn(async () => null) }));
const signedInAs = (id: number | null) => vi.mocked(readSessionClaims).mockResolvedValue(id === null ? null : { id });

let env: Awaited<ReturnType<typeof useTrainedDb>>;
let admin: number;
let ada: number;
let key: string;
beforeAll(async () => {
  process.env.RECOMMEND_ACCESS = "private";
  env = await useTrainedDb({ users: 40 });
  admin = (await registerAccount({ email: "admin@example.com", password: "password-1" })).id; // the first account: admin
  ada = (await registerAccount({ email: "ada@example.com", password: "password-2" })).id;
  key = (await createApiKey("partner", admin)).key;
}, 120_000);
afterAll(() => {
  delete process.env.RECOMMEND_ACCESS;
  resetEnvForTests();
  env.cleanup();
});
beforeEach(() => signedInAs(null));

const byQuery = (userId: number, headers?: Record<string, string>) => call(recommend, `/api/recommend?userId=${userId}&k=3`, { headers });
const byPath = (userId: number) => call(recommendByPath, `/api/recommend/${userId}?k=3`, { params: { userId: String(userId) } });
const inBatch = (userIds: number[], headers?: Record<string, string>) => call(batch, "/api/recommend/batch", { method: "POST", body: { userIds, k: 3 }, headers });

describe("RECOMMEND_ACCESS=private", () => {
  it("refuses a request without credentials with 401, in every form", async () => {
    for (const res of [await byQuery(3), await byPath(3), await inBatch([3])]) {
      expect(res.status).toBe(401);
      expect(expectErrorShape(res.json).code).toBe("unauthorized");
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
    }
    expect((await byQuery(3, { authorization: "Bearer mk_wrong" })).status).toBe(401);
  });

  it("lets a signed-in user read their own recommendations only (403 for anyone else's)", async () => {
    signedInAs(ada);
    expect((await byQuery(ada)).status).toBe(200);
    expect((await byPath(ada)).status).toBe(200);
    expect((await inBatch([ada, ada])).status).toBe(200);
    for (const res of [await byQuery(3), await byPath(3), await inBatch([ada, 3])]) {
      expect(res.status).toBe(403);
      expect(expectErrorShape(res.json).code).toBe("forbidden");
    }
  });

  it("lets an admin and an API key read anyone's", async () => {
    signedInAs(admin);
    expect((await byQuery(3)).status).toBe(200);
    expect((await inBatch([3, 4])).status).toBe(200);
    signedInAs(null);
    const res = await byQuery(3, { authorization: `Bearer ${key}` });
    expect(res.status).toBe(200);
    expect(res.json.items).toHaveLength(3);
    expect((await inBatch([3, 4, 5], { authorization: `Bearer ${key}` })).status).toBe(200);
  });

  it("still validates the query first: a bad request is a 400 whoever sends it", async () => {
    expect((await call(recommend, "/api/recommend?userId=abc")).status).toBe(400);
  });
});
