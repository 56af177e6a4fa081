import fs from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as keyId from "@/app/api/admin/api-keys/[id]/route";
import * as keys from "@/app/api/admin/api-keys/route";
import * as expId from "@/app/api/admin/experiments/[id]/route";
import * as expStop from "@/app/api/admin/experiments/[id]/stop/route";
import * as exps from "@/app/api/admin/experiments/route";
import * as jobCancel from "@/app/api/admin/jobs/[id]/cancel/route";
import * as jobId from "@/app/api/admin/jobs/[id]/route";
import * as jobs from "@/app/api/admin/jobs/route";
import * as promote from "@/app/api/admin/models/[id]/promote/route";
import * as rollback from "@/app/api/admin/models/rollback/route";
import * as runsCompare from "@/app/api/admin/runs/compare/route";
import * as runs from "@/app/api/admin/runs/route";
import * as authJs from "@/app/api/auth/[...nextauth]/route";
import * as signup from "@/app/api/auth/signup/route";
import * as drift from "@/app/api/cron/drift/route";
import * as retrain from "@/app/api/cron/retrain/route";
import * as genres from "@/app/api/genres/route";
import * as ready from "@/app/api/health/ready/route";
import * as health from "@/app/api/health/route";
import * as interactions from "@/app/api/interactions/route";
import * as metrics from "@/app/api/metrics/route";
import * as models from "@/app/api/models/route";
import * as movie from "@/app/api/movies/[id]/route";
import * as similar from "@/app/api/movies/[id]/similar/route";
import * as movies from "@/app/api/movies/route";
import * as popular from "@/app/api/popular/route";
import * as posters from "@/app/api/posters/[id]/route";
import * as recommendByPath from "@/app/api/recommend/[userId]/route";
import * as batch from "@/app/api/recommend/batch/route";
import * as clicks from "@/app/api/recommend/clicks/route";
import * as accountExport from "@/app/api/me/export/route";
import * as recommend from "@/app/api/recommend/route";
import { readSessionClaims } from "@/lib/auth/session";
import { closeDb } from "@/lib/db";
import { encode } from "next-auth/jwt";
import { getAuthSecret, resetEnvForTests } from "@/lib/env";
import { buildOpenApiDocument } from "@/lib/openapi/document";
import { call, expectErrorShape } from "../helpers/call";
import { useTempDb } from "../helpers/temp-db";

// With the database unreachable (an outage, a full or locked disk), every operation must still
// answer with a status its OpenAPI description lists, in the standard error shape when it fails:
// the description is what clients and monitors are built from.
vi.mock("@/lib/auth/session", () => ({ readSessionClaims: vi.fn(async () => null) }));

type Call = Parameters<typeof call>;
const json = (body: unknown) => ({ method: "POST", body });

// Auth.js's POSTs need its CSRF token and cookie, which GET /api/auth/csrf gives without the
// database (beforeAll): their requests are built when they run.
const csrf = { token: "", cookie: "" };
const authForm = (fields: Record<string, string>) => (): Call[2] => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrf.cookie },
  body: new URLSearchParams({ ...fields, csrfToken: csrf.token }).toString(),
});

// every documented operation, with a request it would serve (those that never touch the database
// too, Auth.js's: that they still answer as documented is worth knowing in an outage)
const operations: [string, Call[0], string, (Call[2] | (() => Call[2]))?][] = [
  ["GET /api/health", health.GET, "/api/health"],
  ["GET /api/health/ready", ready.GET, "/api/health/ready"],
  ["GET /api/movies", movies.GET, "/api/movies"],
  ["GET /api/movies/{id}", movie.GET, "/api/movies/19995", { params: { id: "19995" } }],
  ["GET /api/movies/{id}/similar", similar.GET, "/api/movies/19995/similar", { params: { id: "19995" } }],
  ["GET /api/popular", popular.GET, "/api/popular"],
  ["GET /api/genres", genres.GET, "/api/genres"],
  ["GET /api/posters/{id}", posters.GET, "/api/posters/19995", { params: { id: "19995" } }],
  ["GET /api/models", models.GET, "/api/models"],
  ["GET /api/me/export", accountExport.GET, "/api/me/export"],
  ["GET /api/recommend", recommend.GET, "/api/recommend?userId=1"],
  ["GET /api/recommend/{userId}", recommendByPath.GET, "/api/recommend/1", { params: { userId: "1" } }],
  ["POST /api/recommend/batch", batch.POST, "/api/recommend/batch", json({ userIds: [1, 2] })],
  ["POST /api/recommend/clicks", clicks.POST, "/api/recommend/clicks", json({ movieId: 19995 })],
  ["POST /api/interactions", interactions.POST, "/api/interactions", json({ kind: "like", movieId: 19995 })],
  ["DELETE /api/interactions", interactions.DELETE, "/api/interactions?movieId=19995&kind=like", { method: "DELETE" }],
  ["POST /api/auth/signup", signup.POST, "/api/auth/signup", json({ email: "new@example.com", password: "password-123" })],
  ["GET /api/admin/api-keys", keys.GET, "/api/admin/api-keys"],
  ["POST /api/admin/api-keys", keys.POST, "/api/admin/api-keys", json({ name: "k" })],
  ["DELETE /api/admin/api-keys/{id}", keyId.DELETE, "/api/admin/api-keys/1", { method: "DELETE", params: { id: "1" } }],
  ["GET /api/admin/jobs", jobs.GET, "/api/admin/jobs"],
  ["POST /api/admin/jobs", jobs.POST, "/api/admin/jobs", json({ kind: "train", params: { model: "popularity" } })],
  ["GET /api/admin/jobs/{id}", jobId.GET, "/api/admin/jobs/1", { params: { id: "1" } }],
  ["POST /api/admin/jobs/{id}/cancel", jobCancel.POST, "/api/admin/jobs/1/cancel", { method: "POST", params: { id: "1" } }],
  ["POST /api/admin/models/{id}/promote", promote.POST, "/api/admin/models/1/promote", { method: "POST", params: { id: "1" } }],
  ["POST /api/admin/models/rollback", rollback.POST, "/api/admin/models/rollback", { method: "POST" }],
  ["GET /api/admin/experiments", exps.GET, "/api/admin/experiments"],
  ["POST /api/admin/experiments", exps.POST, "/api/admin/experiments", json({ name: "x", arms: [{ versionId: 1, weight: 50 }, { versionId: 2, weight: 50 }] })],
  ["GET /api/admin/experiments/{id}", expId.GET, "/api/admin/experiments/1", { params: { id: "1" } }],
  ["POST /api/admin/experiments/{id}/stop", expStop.POST, "/api/admin/experiments/1/stop", { method: "POST", params: { id: "1" } }],
  ["GET /api/admin/runs", runs.GET, "/api/admin/runs"],
  ["GET /api/admin/runs/compare", runsCompare.GET, "/api/admin/runs/compare?ids=1,2"],
  ["GET /api/metrics", metrics.GET, "/api/metrics"],
  ["GET /api/cron/retrain", retrain.GET, "/api/cron/retrain", { headers: { authorization: "Bearer cron-secret-for-tests" } }],
  ["POST /api/cron/retrain", retrain.POST, "/api/cron/retrain", { method: "POST", headers: { authorization: "Bearer cron-secret-for-tests" } }],
  ["GET /api/cron/drift", drift.GET, "/api/cron/drift", { headers: { authorization: "Bearer cron-secret-for-tests" } }],
  ["POST /api/cron/drift", drift.POST, "/api/cron/drift", { method: "POST", headers: { authorization: "Bearer cron-secret-for-tests" } }],
  // Auth.js's own (app/api/auth/[...nextauth]): sessions are JWTs, so of these only the password
  // sign-in reads the database (below)
  ["GET /api/auth/session", authJs.GET, "/api/auth/session"],
  ["GET /api/auth/csrf", authJs.GET, "/api/auth/csrf"],
  ["GET /api/auth/providers", authJs.GET, "/api/auth/providers"],
  ["POST /api/auth/callback/credentials", authJs.POST, "/api/auth/callback/credentials", authForm({ email: "ada@example.com", password: "analytical-engine", callbackUrl: "/" })],
  ["POST /api/auth/signout", authJs.POST, "/api/auth/signout", authForm({ callbackUrl: "/" })],
  ["POST /api/auth/signin/{provider}", authJs.POST, "/api/auth/signin/github", authForm({ callbackUrl: "/" })],
  // what the provider sends back when the person declines (a code would need the provider itself)
  ["GET /api/auth/callback/{provider}", authJs.GET, "/api/auth/callback/github?error=access_denied"],
];

let tmp: ReturnType<typeof useTempDb>;
const saved = { path: process.env.DATABASE_PATH, url: process.env.DATABASE_URL };
let quiet: ReturnType<typeof vi.spyOn>;
beforeAll(async () => {
  tmp = useTempDb();
  // SQLite: a file that is not a database (SQLITE_NOTADB). PostgreSQL: nothing listens on port 1.
  if (tmp.url) process.env.DATABASE_URL = "postgres://postgres@127.0.0.1:1/matinee";
  else {
    process.env.DATABASE_PATH = path.join(tmp.dir, "not-a-database.db");
    fs.writeFileSync(process.env.DATABASE_PATH, "not a database, only some text that is long enough to have a header ".repeat(4));
  }
  process.env.CRON_SECRET = "cron-secret-for-tests";
  // an OAuth provider configured, so its sign-in starts (a redirect to GitHub; nothing is fetched)
  process.env.AUTH_GITHUB_ID = "github-client-for-tests";
  process.env.AUTH_GITHUB_SECRET = "github-secret-for-tests";
  resetEnvForTests();
  await closeDb();
  vi.mocked(readSessionClaims).mockResolvedValue({ id: 1 }); // an admin's session, were the database up
  quiet = vi.spyOn(console, "error").mockImplementation(() => {}); // the failures are logged
  const res = await authJs.GET(new NextRequest("http://127.0.0.1/api/auth/csrf"));
  csrf.token = ((await res.json()) as { csrfToken: string }).csrfToken;
  csrf.cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
});
afterAll(async () => {
  quiet.mockRestore();
  delete process.env.CRON_SECRET;
  delete process.env.AUTH_GITHUB_ID;
  delete process.env.AUTH_GITHUB_SECRET;
  process.env.DATABASE_PATH = saved.path;
  if (tmp.url) process.env.DATABASE_URL = tmp.url;
  resetEnvForTests();
  await closeDb();
  await tmp.cleanup();
});

describe("every operation while the database is unreachable", () => {
  it("covers every documented operation but /api/ping and /api/openapi.json, which read nothing but the request", () => {
    const doc = buildOpenApiDocument();
    const documented = Object.entries(doc.paths ?? {}).flatMap(([p, ops]) => Object.keys(ops ?? {}).map((m) => `${m.toUpperCase()} ${p}`));
    expect(documented.filter((op) => !operations.some(([name]) => name === op)).sort()).toEqual(["GET /api/openapi.json", "GET /api/ping"]);
  });

  it.each(operations)("%s answers a documented status, failures in the standard error shape", async (name, handler, url, request) => {
    const [method, path] = name.split(" ");
    const res = await call(handler, url, typeof request === "function" ? request() : request);
    const documented = Object.keys(buildOpenApiDocument().paths?.[path]?.[method.toLowerCase() as "get"]?.responses ?? {});
    expect(documented, `${name} answered ${res.status}: ${res.text.slice(0, 200)}`).toContain(String(res.status));
    if (res.status >= 400 && !path.startsWith("/api/health")) expectErrorShape(res.json);
    expect(res.text).not.toMatch(/SQLITE|ECONNREFUSED|select |insert |at \//);
    // an outage is a 503 the client may retry, not a 500 (was: 500 internal, as for a bug)
    expect(res.status, `${name}: ${res.text.slice(0, 200)}`).not.toBe(500);
    if (res.status === 503 && !path.startsWith("/api/health")) {
      expect(expectErrorShape(res.json).code).toBe("not_ready");
      expect(res.headers.get("retry-after")).toBe("5");
    }
  });
});

describe("Auth.js while the database is unreachable", () => {
  it("fails a password sign-in as the database unavailable, not as a wrong password, and still reads a session", async () => {
    // the sign-in limit is counted in the database before the password is checked
    const signIn = await call(authJs.POST, "/api/auth/callback/credentials", authForm({ email: "ada@example.com", password: "analytical-engine" })());
    expect(signIn.status).toBe(503);
    expect(expectErrorShape(signIn.json).code).toBe("not_ready");
    expect(signIn.headers.get("location")).toBeNull();
    const session = await call(authJs.GET, "/api/auth/session");
    expect([session.status, session.json]).toEqual([200, null]);
  });

  it("answers a session read with a session cookie 503, and keeps the cookie: an outage signs nobody out", async () => {
    // a session cookie as Auth.js issues it (its account cannot be looked up now)
    const token = await encode({ token: { sub: "1", uid: 1, role: "user", sv: 0 }, secret: getAuthSecret(), salt: "authjs.session-token" });
    const res = await call(authJs.GET, "/api/auth/session", { headers: { cookie: `authjs.session-token=${token}` } });
    expect(res.status).toBe(503);
    expect(expectErrorShape(res.json).code).toBe("not_ready");
    expect(res.headers.getSetCookie().filter((c) => /Max-Age=0|1970/.test(c))).toEqual([]);
  });
});
