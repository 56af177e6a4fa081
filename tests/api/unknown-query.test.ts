import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerAccount } from "@/lib/auth/accounts";
import { readSessionClaims } from "@/lib/auth/session";
import { resetEnvForTests } from "@/lib/env";
import { call, expectErrorShape } from "../helpers/call";
import { routeFiles, servedMethods } from "../helpers/route-files";
import { useTempDb } from "../helpers/temp-db";

// Every operation under app/api refuses a query parameter it does not take (400, that field's
// "unknown field") instead of ignoring it: `POST /api/admin/models/rollback?versionId=6` rolled
// back to another version than the one asked for, `POST /api/recommend/batch?k=1` answered 10
// items. Generated from the files on disk, so a route added without parseQuery fails here.
vi.mock("@/lib/auth/session", () => ({ readSessionClaims: vi.fn(async () => null) }));

const APP = path.join(process.cwd(), "app");

/** Not operations of this API, or the one route left out on purpose (see EXEMPT). */
const EXEMPT: Record<string, string> = {
  // Auth.js's own endpoints read their own query (callbackUrl, error, ...)
  "/api/auth/[...nextauth]": "Auth.js",
  // answers 404 to every path no route serves, whatever its query
  "/api/[[...path]]": "catch-all 404",
  // the benchmark's baseline and the load balancers' check: no wrapper, no parsing, nothing read
  // (a query is ignored; README and the OpenAPI description say so)
  "/api/ping": "baseline",
};

type Case = { name: string; url: string; method: string; params: Record<string, string>; handler: Parameters<typeof call>[0] };

const cases: Case[] = await Promise.all(
  routeFiles().map(async (file) => {
    const dir = `/${path.relative(APP, path.dirname(file)).split(path.sep).join("/")}`;
    if (EXEMPT[dir]) return [];
    const params: Record<string, string> = {};
    // "1" for every dynamic segment: a valid id everywhere, so only the query can be refused
    const url = dir.replace(/\[([^\].]+)\]/g, (_m, name: string) => ((params[name] = "1"), "1"));
    const mod = (await import(file)) as Record<string, unknown>;
    return servedMethods(file).map((method) => ({ name: `${method} ${dir}`, url, method, params, handler: mod[method] as Case["handler"] }));
  }),
).then((lists) => lists.flat());

let tmp: ReturnType<typeof useTempDb>;
beforeAll(async () => {
  tmp = useTempDb();
  process.env.API_RATE_LIMIT = "0";
  process.env.CRON_SECRET = "cron-secret-for-tests";
  delete process.env.METRICS_TOKEN;
  resetEnvForTests();
  // signed in as the admin (the first account): every access check passes, so the query decides
  const adminId = (await registerAccount({ email: "admin@example.com", password: "password-1" })).id;
  vi.mocked(readSessionClaims).mockResolvedValue({ id: adminId });
});
afterAll(async () => {
  delete process.env.CRON_SECRET;
  delete process.env.API_RATE_LIMIT;
  resetEnvForTests();
  await tmp.cleanup();
});

describe("a query parameter an operation does not take", () => {
  it("finds the route files and their methods", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(cases.map((c) => c.name)).toEqual(expect.arrayContaining(["POST /api/admin/models/rollback", "POST /api/recommend/batch", "GET /api/recommend"]));
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s: 400, the parameter named as an unknown field", async (_name, c) => {
    // no body: the query is refused before a body is read (else a missing body's 415 would answer)
    const res = await call(c.handler, `${c.url}?zzUnknown=1`, {
      method: c.method,
      params: c.params,
      // the scheduled endpoints' secret (elsewhere a bearer header would be read as an API key)
      headers: c.url.startsWith("/api/cron/") ? { authorization: "Bearer cron-secret-for-tests" } : {},
    });
    expect(res.status, res.text).toBe(400);
    const error = expectErrorShape(res.json);
    expect(error.code).toBe("bad_request");
    // (an operation with required parameters names those too)
    expect((error.details as { fields?: Record<string, string[]> } | undefined)?.fields?.zzUnknown).toEqual(["unknown field"]);
  });

  it("GET /api/ping, the benchmark's baseline, is left as cheap as it is: it takes no request, so a query is not read", async () => {
    const { GET } = await import("@/app/api/ping/route");
    expect(GET.length).toBe(0);
    const res = GET();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });
});
