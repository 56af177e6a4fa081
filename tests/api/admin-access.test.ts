import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { registerAccount } from "@/lib/auth/accounts";
import { readSessionClaims } from "@/lib/auth/session";
import { call, expectErrorShape } from "../helpers/call";
import { servedMethods } from "../helpers/route-files";
import { useTempDb } from "../helpers/temp-db";

// Generated from the files on disk, so a new admin route is covered the day it is added.
vi.mock("@/lib/auth/session", () => ({ readSessionClaims: vi.fn(async () => null) }));
const signedInAs = (id: number | null) => vi.mocked(readSessionClaims).mockResolvedValue(id === null ? null : { id });

const ADMIN_DIR = path.join(process.cwd(), "app", "api", "admin");

type AdminRoute = { file: string; url: string; params: Record<string, string> };

// Every route.ts under app/api/admin, with harmless values ("1") for its dynamic segments.
function adminRoutes(dir = ADMIN_DIR): AdminRoute[] {
  const out: AdminRoute[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...adminRoutes(full));
    else if (entry.name === "route.ts") {
      const rel = path.relative(path.join(process.cwd(), "app"), dir).split(path.sep);
      const params: Record<string, string> = {};
      const segments = rel.map((seg) => {
        const m = /^\[(?:\.\.\.)?([^\]]+)\]$/.exec(seg);
        if (!m) return seg;
        params[m[1]] = "1";
        return "1";
      });
      out.push({ file: full, url: `/${segments.join("/")}`, params });
    }
  }
  return out;
}

const routes = adminRoutes();
// Resolved at collection time so each route + method is its own named test.
const cases = await Promise.all(
  routes.map(async (r) => {
    const mod = (await import(r.file)) as Record<string, unknown>;
    // the methods it serves (the others answer 405 before any access check: tests/api/methods.test.ts)
    return servedMethods(r.file).map((method) => ({
      name: `${method} ${r.url.replace(/\/1(?=\/|$)/g, "/:id")}`,
      method,
      handler: mod[method] as Parameters<typeof call>[0],
      route: r,
    }));
  }),
).then((lists) => lists.flat());

let tmp: ReturnType<typeof useTempDb>;
let userId: number;
beforeAll(async () => {
  tmp = useTempDb();
  // The first account on a fresh install is the admin; the second is an ordinary user.
  await registerAccount({ email: "admin@example.com", password: "password-1" });
  userId = (await registerAccount({ email: "user@example.com", password: "password-2" })).id;
});
afterAll(() => tmp.cleanup());
beforeEach(() => signedInAs(null));

function send(c: (typeof cases)[number]) {
  const hasBody = c.method !== "GET" && c.method !== "DELETE";
  return call(c.handler, c.route.url, { method: c.method, params: c.route.params, body: hasBody ? {} : undefined });
}

describe("admin routes refuse everyone but admins", () => {
  it("finds the admin route files and their methods", () => {
    expect(routes.length).toBeGreaterThanOrEqual(6);
    // Every route file exports at least one handler; an empty list would make the checks below vacuous.
    for (const r of routes) expect(cases.some((c) => c.route === r), r.file).toBe(true);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s: 401 signed out, 403 for a non-admin", async (_name, c) => {
    const anon = await send(c);
    expect(anon.status, anon.text).toBe(401);
    expect(expectErrorShape(anon.json).code).toBe("unauthorized");

    signedInAs(userId);
    const user = await send(c);
    expect(user.status, user.text).toBe(403);
    expect(expectErrorShape(user.json).code).toBe("forbidden");
  });
});
