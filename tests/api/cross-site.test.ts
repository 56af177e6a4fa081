import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { DELETE as revokeRoute } from "@/app/api/admin/api-keys/[id]/route";
import { POST as stopRoute } from "@/app/api/admin/experiments/[id]/stop/route";
import { POST as promoteRoute } from "@/app/api/admin/models/[id]/promote/route";
import { DELETE as rollbackDelete, POST as rollbackRoute } from "@/app/api/admin/models/rollback/route";
import { POST as interactionsRoute } from "@/app/api/interactions/route";
import { verifyApiKey } from "@/lib/apikeys";
import { createApiKey } from "@/lib/apikeys/keys";
import { registerAccount } from "@/lib/auth/accounts";
import { crossSiteRefusedMessage } from "@/lib/auth/origin";
import { readSessionClaims } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { movies } from "@/lib/db/schema";
import { resetEnvForTests } from "@/lib/env";
import { getExperiment } from "@/lib/experiments/queries";
import { createExperiment } from "@/lib/experiments/service";
import { getServingVersionId } from "@/lib/mlops/registry";
import { documentedResponseSchema } from "@/lib/openapi/document";
import { runTraining } from "@/lib/recs/train";
import { call, expectErrorShape } from "../helpers/call";
import { useTrainedDb } from "../helpers/trained-db";

// Cross-site request forgery: a page on another site (a sibling subdomain gets past SameSite=Lax)
// makes the browser send a state-changing request with the admin's session cookie. Only the
// Origin header tells it apart; the route wrapper refuses it (lib/auth/origin.ts).
vi.mock("@/lib/auth/session", () => ({ readSessionClaims: vi.fn(async () => null) }));
const signedInAs = (id: number | null) => vi.mocked(readSessionClaims).mockResolvedValue(id === null ? null : { id });

// In Next the session comes from this cookie; here the session reader is mocked, and the cookie is
// what the browser would attach.
const SESSION = { cookie: "theme=dark; authjs.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.x" };
const EVIL = { origin: "https://evil.example" };
// call() addresses requests to http://127.0.0.1
const OWN = { origin: "http://127.0.0.1" };

let tmp: Awaited<ReturnType<typeof useTrainedDb>>;
let adminId: number;
let apiKey: { id: number; key: string };
let experimentId: number;
let movieId: number;
beforeAll(async () => {
  tmp = await useTrainedDb({ users: 60, model: "popularity" }); // version 1
  await runTraining({ model: "popularity", topN: 10, neighbors: 10, force: true }); // version 2, serving
  adminId = (await registerAccount({ email: "admin@example.com", password: "password-1" })).id;
  const created = await createApiKey("partner", adminId);
  apiKey = { id: created.apiKey.id, key: created.key };
  const actor = { userId: adminId, label: "admin@example.com" };
  [{ id: movieId }] = await getDb().select({ id: movies.id }).from(movies).limit(1);
  experimentId = (await createExperiment({ name: "a/b", primaryMetric: "ctr", arms: [{ versionId: 1, weight: 50 }, { versionId: 2, weight: 50 }] }, actor)).id;
}, 120_000);
afterAll(() => tmp.cleanup());
beforeEach(() => signedInAs(adminId));

const promote = (id: string, headers: Record<string, string>) => call(promoteRoute, `/api/admin/models/${id}/promote`, { method: "POST", params: { id }, headers });
const rollback = (headers: Record<string, string>) => call(rollbackRoute, "/api/admin/models/rollback", { method: "POST", headers });
const refusedCrossSite = (res: { status: number; json: unknown }) => {
  expect(res.status).toBe(403);
  const error = expectErrorShape(res.json);
  expect(error.code).toBe("forbidden");
  expect(error.message).toMatch(/another site/);
};

describe("state-changing requests with the session cookie from another origin", () => {
  it("are refused with 403 and change nothing: rollback, promote, experiment stop, API key revoke", async () => {
    const headers = { ...SESSION, ...EVIL };
    // an empty form post, as a forged <form> sends it
    refusedCrossSite(await rollback({ ...headers, "content-type": "application/x-www-form-urlencoded" }));
    refusedCrossSite(await promote("1", headers));
    refusedCrossSite(await call(stopRoute, `/api/admin/experiments/${experimentId}/stop`, { method: "POST", params: { id: String(experimentId) }, headers }));
    const revoked = await call(revokeRoute, `/api/admin/api-keys/${apiKey.id}`, { method: "DELETE", params: { id: String(apiKey.id) }, headers });
    refusedCrossSite(revoked);
    // as /api/openapi.json documents it
    expect(documentedResponseSchema("delete", "/api/admin/api-keys/{id}", 403)?.safeParse(revoked.json).success).toBe(true);
    expect(await getServingVersionId()).toBe(2);
    expect((await getExperiment(experimentId))?.status).toBe("running");
    expect(await verifyApiKey(apiKey.key)).not.toBeNull();
  });

  it("are refused for a sibling subdomain, another port or scheme, and an opaque origin (null)", async () => {
    for (const origin of ["https://admin.127.0.0.1.nip.io", "http://127.0.0.1:8080", "https://127.0.0.1", "null", "not a url"]) {
      refusedCrossSite(await rollback({ ...SESSION, origin }));
    }
    // the session cookie under its HTTPS name, and split into chunks, is the session cookie too
    for (const cookie of ["__Secure-authjs.session-token=x", "a=1;authjs.session-token.0=x; authjs.session-token.1=y"]) {
      refusedCrossSite(await rollback({ cookie, ...EVIL }));
    }
    expect(await getServingVersionId()).toBe(2);
  });

  it("go through from the app's own origin, and with no Origin at all (curl, servers)", async () => {
    const back = await rollback({ ...SESSION, ...OWN });
    expect(back.status).toBe(200);
    expect(back.json).toMatchObject({ servingVersion: 1, previousVersion: 2 });
    const again = await promote("2", SESSION);
    expect(again.status).toBe(200);
    expect(await getServingVersionId()).toBe(2);
  });

  it("take the app's origin from Host / X-Forwarded-Host and X-Forwarded-Proto, or AUTH_URL", async () => {
    const proxied = { ...SESSION, host: "10.0.0.5:3000", "x-forwarded-host": "movies.example.com", "x-forwarded-proto": "https" };
    expect((await promote("1", { ...proxied, origin: "https://movies.example.com" })).status).toBe(200);
    refusedCrossSite(await promote("2", { ...proxied, origin: "http://movies.example.com" }));
    expect((await promote("2", { ...SESSION, host: "movies.example.com", origin: "http://movies.example.com" })).status).toBe(200);
    process.env.AUTH_URL = "https://movies.example.org";
    resetEnvForTests();
    try {
      expect((await promote("1", { ...SESSION, origin: "https://movies.example.org" })).status).toBe(200);
      refusedCrossSite(await promote("2", { ...SESSION, origin: "https://evil.example.org" }));
    } finally {
      delete process.env.AUTH_URL;
      resetEnvForTests();
    }
    expect((await promote("2", { ...SESSION, ...OWN })).status).toBe(200);
  });

  it("say how to send it instead: from the app; with an API key only where the route takes one (not admin, sign-up or cron routes)", async () => {
    for (const path of ["/api/admin/models/rollback", "/api/auth/signup", "/api/cron/retrain", "/api/admin"]) {
      expect(crossSiteRefusedMessage(path), path).not.toMatch(/API key/);
    }
    for (const path of ["/api/interactions", "/api/recommend/batch", "/api/administrators"]) expect(crossSiteRefusedMessage(path), path).toMatch(/with an API key/);
    // was: every refusal suggested an API key, which admin routes answer with 401
    const admin = expectErrorShape((await rollback({ ...SESSION, ...EVIL })).json).message;
    expect(admin).toMatch(/carries a session cookie, so it was refused\. Send it from the app itself\.$/);
    const rated = await call(interactionsRoute, "/api/interactions", { method: "POST", headers: { ...SESSION, ...EVIL }, body: { kind: "rating", movieId, value: 4 } });
    refusedCrossSite(rated);
    expect(expectErrorShape(rated.json).message).toMatch(/or without the cookie and with an API key \(Authorization: Bearer mk_\.\.\.\)\.$/);
  });

  it("leave an API key's request from any origin alone, cookie or not", async () => {
    signedInAs(null);
    const authorization = `Bearer ${apiKey.key}`;
    for (const headers of [{ authorization, ...EVIL }, { authorization, ...EVIL, ...SESSION }]) {
      const res = await call(interactionsRoute, "/api/interactions", { method: "POST", headers, body: { kind: "rating", movieId, value: 4, userId: adminId } });
      expect(res.status).toBe(201);
    }
  });

  it("on admin routes, which take no API key, a Bearer header does not let a cookie from another site through", async () => {
    // was: any `Authorization: Bearer …` skipped the check, and the admin route then went by the cookie
    refusedCrossSite(await rollback({ ...SESSION, ...EVIL, authorization: "Bearer whatever" }));
    refusedCrossSite(await rollback({ ...SESSION, ...EVIL, authorization: `Bearer ${apiKey.key}` }));
  });

  it("leave a request without the session cookie to the route's own checks, and safe methods and 405s alone", async () => {
    signedInAs(null);
    const anon = await rollback({ ...EVIL, cookie: "theme=dark" });
    expect(anon.status).toBe(401);
    const wrongMethod = await call(rollbackDelete, "/api/admin/models/rollback", { method: "DELETE", headers: { ...SESSION, ...EVIL } });
    expect(wrongMethod.status).toBe(405);
  });
});
