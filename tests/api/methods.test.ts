import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HTTP_METHODS, routeFiles, servedMethods } from "../helpers/route-files";
import { useTempDb } from "../helpers/temp-db";

// Every API route answers every method with the error contract: the ones it serves, and 405 with
// the error body and an Allow header for the rest (Next's own 405 has no body and no Allow).
let tmp: ReturnType<typeof useTempDb>;
beforeAll(() => {
  tmp = useTempDb();
});
afterAll(() => tmp.cleanup());

// the API's own 404 catch-all answers every method with a 404; Auth.js's catch-all is checked too
const files = routeFiles().filter((f) => !f.includes("...path]"));

describe("methods a route does not serve", () => {
  it.each(files.map((f) => [path.relative(process.cwd(), f), f]))("%s: every method answered, 405 with Allow for the others", async (_rel, file) => {
    const own = servedMethods(file);
    const mod = (await import(file)) as Record<string, unknown>;
    for (const m of HTTP_METHODS) expect(typeof mod[m], m).toBe("function");
    const refused = HTTP_METHODS.filter((m) => !own.includes(m));
    for (const m of refused) {
      const handler = mod[m] as (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;
      const res = await handler(new Request("http://127.0.0.1/api/x", { method: m }), { params: Promise.resolve({ id: "1", userId: "1" }) });
      expect(res.status, m).toBe(405);
      const allow = res.headers.get("allow")?.split(", ") ?? [];
      expect(allow.filter((a) => a !== "HEAD" && a !== "OPTIONS").sort(), m).toEqual([...own].sort());
      const body = await res.json();
      expect(body.error.code, m).toBe("method_not_allowed");
    }
    // OPTIONS names only what the route serves (Next's automatic answer would list every export)
    const options = await (mod.OPTIONS as (req: Request) => Response | Promise<Response>)(new Request("http://127.0.0.1/api/x", { method: "OPTIONS" }));
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")?.split(", ").filter((a) => a !== "HEAD" && a !== "OPTIONS").sort()).toEqual([...own].sort());
    expect(options.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
