import fs from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/openapi.json/route";
import { interactionBodySchema } from "@/lib/interactions/api";
import { routeFiles, servedMethods } from "../helpers/route-files";

// Every route handler file under app/api, as the OpenAPI path it serves, with the methods it serves.
function routes(): { path: string; methods: string[] }[] {
  return routeFiles().map((full) => {
    const rel = path.relative(path.join(process.cwd(), "app"), path.dirname(full)).split(path.sep).join("/");
    return { path: `/${rel}`.replace(/\[([^\].]+)\]/g, "{$1}"), methods: servedMethods(full).map((m) => m.toLowerCase()) };
  });
}

describe("GET /api/openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const res = await GET(new Request("http://x/api/openapi.json"));
    const doc = await res.json();
    expect(doc.openapi).toBe("3.1.0");
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("documents every route handler and method under app/api", async () => {
    const doc = await (await GET(new Request("http://x/api/openapi.json"))).json();
    const missing: string[] = [];
    for (const r of routes()) {
      // catch-alls are not operations: next-auth's own, and the API's 404 for unknown paths
      if (r.path.includes("[...")) continue;
      for (const m of r.methods) if (!doc.paths[r.path]?.[m]) missing.push(`${m.toUpperCase()} ${r.path}`);
    }
    expect(missing).toEqual([]);
  });

  it("lists 429 exactly on the operations under a rate limit (the public API's, sign-up's)", async () => {
    const doc = await (await GET(new Request("http://x/api/openapi.json"))).json();
    const limited = new Set(
      routeFiles()
        .filter((f) => fs.readFileSync(f, "utf8").includes('rateLimit: "public"'))
        .map((f) => routes().find((r) => path.resolve("app", `.${r.path.replace(/\{([^}]+)\}/g, "[$1]")}`) === path.dirname(f))?.path),
    );
    limited.add("/api/auth/signup");
    const wrong: string[] = [];
    for (const [p, ops] of Object.entries<Record<string, { responses: Record<string, unknown> }>>(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        if (Boolean(op.responses["429"]) !== limited.has(p)) wrong.push(`${m.toUpperCase()} ${p}: ${op.responses["429"] ? "lists 429 but has no limit" : "is limited but does not list 429"}`);
      }
    }
    expect(limited.size).toBeGreaterThan(5);
    expect(wrong).toEqual([]);
  });

  it("lists 400 on every operation but /api/ping: each refuses a query parameter it does not take, those that take no input say so", async () => {
    const doc = await (await GET(new Request("http://x/api/openapi.json"))).json();
    const wrong: string[] = [];
    type Op = { parameters?: unknown[]; requestBody?: unknown; responses: Record<string, { description?: string }> };
    for (const [p, ops] of Object.entries<Record<string, Op>>(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        const where = `${m.toUpperCase()} ${p}`;
        const refusal = op.responses["400"]?.description;
        // the benchmark's baseline reads nothing of the request (tests/api/unknown-query.test.ts)
        if (p === "/api/ping") {
          if (refusal) wrong.push(`${where}: lists 400 but reads no input`);
          continue;
        }
        const input = Boolean(op.parameters?.length || op.requestBody);
        if (!refusal) wrong.push(`${where}: does not list 400`);
        else if (!refusal.includes("unknown field")) wrong.push(`${where}: its 400 does not say an unknown parameter is refused`);
        else if (!input && !refusal.includes("this operation takes none")) wrong.push(`${where}: takes no input, but its 400 does not say so`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("lists the cross-site 403 on every state-changing operation, after any 403 of its own", async () => {
    const doc = await (await GET(new Request("http://x/api/openapi.json"))).json();
    const missing: string[] = [];
    for (const [p, ops] of Object.entries<Record<string, { responses: Record<string, { description?: string }> }>>(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        const lists = /another site/.test(op.responses["403"]?.description ?? "");
        if (lists !== ["post", "put", "patch", "delete"].includes(m)) missing.push(`${m.toUpperCase()} ${p}`);
      }
    }
    expect(missing).toEqual([]);
    expect(doc.paths["/api/admin/models/rollback"].post.responses["403"].description).toMatch(/^Signed in, but not an admin; or: Sent from another site/);
  });

  it("lists 413 and 415 for every operation that takes a JSON body", async () => {
    const doc = await (await GET(new Request("http://x/api/openapi.json"))).json();
    const missing: string[] = [];
    for (const [p, ops] of Object.entries<Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        if (!op.requestBody) continue;
        for (const status of ["413", "415"]) if (!op.responses[status]) missing.push(`${m.toUpperCase()} ${p} ${status}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("describes each parameter as the handlers read it: integers with their bounds, patterns a client can use", async () => {
    const doc = await (await GET(new Request("http://x/api/openapi.json"))).json();
    type Param = { name: string; in: string; schema: { type?: string; pattern?: string; minimum?: number; maximum?: number; default?: unknown } };
    const params: [string, Param][] = [];
    for (const [p, ops] of Object.entries<Record<string, { parameters?: Param[] }>>(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) for (const param of op.parameters ?? []) params.push([`${m.toUpperCase()} ${p} ${param.name}`, param]);
    }
    const problems: string[] = [];
    for (const [where, { schema }] of params) {
      // OpenAPI patterns are ECMA-262 source text: no /.../flags wrapper
      if (schema.pattern !== undefined) {
        try {
          new RegExp(schema.pattern, "u");
        } catch {
          problems.push(`${where}: pattern does not compile`);
        }
        if (/\/[a-z]*$/.test(schema.pattern)) problems.push(`${where}: pattern carries regex flags`);
      }
      if (schema.type === "integer" && (schema.minimum === undefined || schema.maximum === undefined)) problems.push(`${where}: integer without bounds`);
      if (schema.default !== undefined && typeof schema.default !== (schema.type === "integer" ? "number" : schema.type)) problems.push(`${where}: default is not a ${schema.type}`);
    }
    expect(problems).toEqual([]);

    // every path parameter is an id the handlers read as a bounded integer: a client generated from
    // the document sends numbers, and learns the largest one the handler takes
    const pathParams = params.filter(([, p]) => p.in === "path");
    expect(pathParams.length).toBeGreaterThan(5);
    expect(pathParams.filter(([, { schema }]) => schema.type !== "integer" || schema.minimum !== 1 || schema.maximum !== 2_147_483_647).map(([where]) => where)).toEqual([]);

    const param = (key: string) => params.find(([where]) => where === key)?.[1].schema;
    expect(param("GET /api/recommend k")).toEqual({ type: "integer", minimum: 1, maximum: 100, default: 10 });
    expect(param("GET /api/movies pageSize")).toEqual({ type: "integer", minimum: 1, maximum: 100, default: 24 });
    const genre = new RegExp(param("GET /api/popular genre")!.pattern!, "u");
    expect(["Drama", "Science Fiction", "Action & Adventure"].every((g) => genre.test(g))).toBe(true);
    expect(genre.test("Drama; drop table")).toBe(false);
  });

  it("documents the rating steps POST /api/interactions enforces", async () => {
    const doc = await (await GET(new Request("http://x/api/openapi.json"))).json();
    const rating = doc.components.schemas.InteractionRequest.oneOf.find((o: { properties: { kind: { enum: string[] } } }) => o.properties.kind.enum[0] === "rating");
    expect(rating.properties.value).toMatchObject({ type: "number", minimum: 0.5, maximum: 5, multipleOf: 0.5 });
    // what the handler validates with: a value between the steps is refused, one on them is not
    const value = interactionBodySchema.safeParse({ kind: "rating", movieId: 1, value: 4.3 });
    expect(value.success).toBe(false);
    expect(interactionBodySchema.safeParse({ kind: "rating", movieId: 1, value: 4.5 }).success).toBe(true);
  });

  it("names every operation (unique operationIds) and says who may call it", async () => {
    const doc = await (await GET(new Request("http://x/api/openapi.json"))).json();
    type Op = { operationId?: string; security?: Record<string, string[]>[] };
    const ids: string[] = [];
    const schemes = (op: Op) => (op.security ?? []).map((s) => Object.keys(s)[0] ?? "none");
    for (const [p, ops] of Object.entries<Record<string, Op>>(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        ids.push(op.operationId ?? `(none: ${m} ${p})`);
        if (p.startsWith("/api/admin/") || p.startsWith("/api/me/")) expect(schemes(op), `${m} ${p}`).toEqual(["session"]);
        if (p.startsWith("/api/cron/")) expect(schemes(op), `${m} ${p}`).toEqual(["cronSecret"]);
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    // the headers every answer carries are documented on its successes too (was: RateLimit on 429 only)
    type Responses = Record<string, { headers?: Record<string, unknown> }>;
    const missing: string[] = [];
    for (const [p, ops] of Object.entries<Record<string, { responses: Responses }>>(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        if (p === "/api/ping") continue;
        for (const [status, r] of Object.entries(op.responses)) {
          if (!r.headers?.["x-request-id"]) missing.push(`${m} ${p} ${status}: x-request-id`);
          // (sign-up's 429 is its own limit's: no RateLimit on its success)
          if ("429" in op.responses && !p.startsWith("/api/auth/") && status.startsWith("2") && !r.headers?.RateLimit) missing.push(`${m} ${p} ${status}: RateLimit`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(ids).toContain("getMoviesByIdSimilar");
    // writes take a key or a session, never nobody (was: `{}`, "no authentication", beside the key)
    expect(schemes(doc.paths["/api/interactions"].post)).toEqual(["apiKey", "session"]);
    expect(schemes(doc.paths["/api/recommend"].get)).toEqual(["none", "apiKey", "session"]);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["apiKey", "cronSecret", "metricsToken", "session"]);
  });

  it("marks a request body optional exactly where the handler takes a request without one", async () => {
    const doc = await (await GET(new Request("http://x/api/openapi.json"))).json();
    // parseJsonBody refuses a request with no body; parseOptionalJsonBody and expectNoBody take it as {}
    const takesNoBody = new Set(
      routes()
        .filter((r) => /parseOptionalJsonBody|expectNoBody/.test(fs.readFileSync(path.join(process.cwd(), "app", r.path.replace(/\{(\w+)\}/g, "[$1]"), "route.ts"), "utf8")))
        .map((r) => r.path),
    );
    const optional: string[] = [];
    for (const [p, ops] of Object.entries<Record<string, { requestBody?: { required?: boolean } }>>(doc.paths)) {
      for (const op of Object.values(ops)) if (op.requestBody && op.requestBody.required !== true) optional.push(p);
    }
    expect(optional.sort()).toEqual([...takesNoBody].sort());
    expect(optional).toEqual(expect.arrayContaining(["/api/admin/experiments/{id}/stop", "/api/admin/models/rollback"]));
  });
});
