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

/** Auth.js's own operations (tag "Auth.js"): documented, but answered by Auth.js, not to the app's contract. */
const isAuthJs = (op: { tags?: string[] }) => op.tags?.includes("Auth.js") ?? false;

// The Auth.js endpoints an integrator uses, served by the catch-all app/api/auth/[...nextauth]
// (which the route-file check below cannot see): they must stay documented.
const AUTH_JS_OPERATIONS = [
  "GET /api/auth/session",
  "GET /api/auth/csrf",
  "GET /api/auth/providers",
  "POST /api/auth/callback/credentials",
  "POST /api/auth/signout",
  "POST /api/auth/signin/{provider}",
  "GET /api/auth/callback/{provider}",
];

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

  it("documents Auth.js's own endpoints, each marked as Auth.js's and not held to the app's error contract", async () => {
    const doc = await (await GET(new Request("http://x/api/openapi.json"))).json();
    type Op = { tags?: string[]; description?: string; operationId?: string; responses: Record<string, { description?: string; headers?: Record<string, unknown> }> };
    const all = Object.entries<Record<string, Op>>(doc.paths).flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => [`${m.toUpperCase()} ${p}`, op] as const));
    const authJs = all.filter(([, op]) => isAuthJs(op));
    expect(authJs.map(([name]) => name).sort()).toEqual([...AUTH_JS_OPERATIONS].sort());

    // served by the catch-all (no route file of ours has the path), with a method it exports;
    // and an operation of ours under /api/auth (sign-up) is not tagged as Auth.js's
    const ownPaths = new Set(routes().map((r) => r.path));
    const catchAll = routes().find((r) => r.path === "/api/auth/[...nextauth]");
    expect(catchAll?.methods.sort()).toEqual(["get", "post"]);
    for (const [name, op] of authJs) {
      const [method, p] = name.split(" ");
      expect(ownPaths.has(p), name).toBe(false);
      expect(catchAll?.methods, name).toContain(method.toLowerCase());
      expect(op.tags, name).toEqual(["Auth.js"]);
      expect(op.description, name).toMatch(/Auth\.js's own endpoint.*does not follow the app's contract/);
      expect(op.operationId, name).toBeTruthy();
    }
    expect(all.filter(([name, op]) => name.includes(" /api/auth/") && !isAuthJs(op)).map(([name]) => name)).toEqual(["POST /api/auth/signup"]);
    expect(doc.tags.find((t: { name: string }) => t.name === "Auth.js")?.description).toMatch(/not the app's error contract/);

    // what a client needs from them: the session's shape (or null), the token, the redirects' Location and cookies
    const op = (name: string) => authJs.find(([n]) => n === name)![1];
    expect(op("GET /api/auth/session").responses["200"]).toMatchObject({ content: { "application/json": { schema: { anyOf: [{ $ref: "#/components/schemas/AuthSession" }, { type: "null" }] } } } });
    expect(doc.components.schemas.AuthSession.properties.user.required.sort()).toEqual(["id", "role", "sv"]);
    expect(Object.keys(doc.components.schemas.AuthSession.properties.user.properties).sort()).toEqual(["id", "role", "sid", "sv"]);
    expect(doc.components.schemas.AuthCsrfToken.required).toEqual(["csrfToken"]);
    for (const name of AUTH_JS_OPERATIONS.filter((n) => n.startsWith("POST ") || n.includes("callback"))) {
      expect(Object.keys(op(name).responses["302"]?.headers ?? {}), name).toEqual(expect.arrayContaining(["Location", "Set-Cookie", "x-request-id"]));
    }
    expect(op("POST /api/auth/callback/credentials").responses["302"].description).toMatch(/CredentialsSignin.*MissingCSRF/s);
    expect(Object.keys(op("POST /api/auth/callback/credentials").responses["429"].headers ?? {})).toEqual(expect.arrayContaining(["Retry-After", "RateLimit", "RateLimit-Policy"]));
  });

  it("lists 429 exactly on the operations under a rate limit (the public API's, sign-up's, password sign-in's)", async () => {
    const doc = await (await GET(new Request("http://x/api/openapi.json"))).json();
    const limited = new Set(
      routeFiles()
        .filter((f) => fs.readFileSync(f, "utf8").includes('rateLimit: "public"'))
        .map((f) => routes().find((r) => path.resolve("app", `.${r.path.replace(/\{([^}]+)\}/g, "[$1]")}`) === path.dirname(f))?.path),
    );
    limited.add("/api/auth/signup");
    // Auth.js's password sign-in, limited before Auth.js runs (lib/auth/route-handlers.ts)
    limited.add("/api/auth/callback/credentials");
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
    type Op = { tags?: string[]; parameters?: unknown[]; requestBody?: unknown; responses: Record<string, { description?: string }> };
    for (const [p, ops] of Object.entries<Record<string, Op>>(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        const where = `${m.toUpperCase()} ${p}`;
        const refusal = op.responses["400"]?.description;
        // Auth.js ignores what it does not read: its operations must not promise the refusal (the
        // one 400 among them is the route wrapper's, for a sign-in field given twice)
        if (isAuthJs(op)) {
          if (refusal?.includes("unknown field")) wrong.push(`${where}: Auth.js's, but its 400 says an unknown parameter is refused`);
          if (refusal && where !== "POST /api/auth/callback/credentials") wrong.push(`${where}: Auth.js's, lists 400`);
          continue;
        }
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
    for (const [p, ops] of Object.entries<Record<string, { tags?: string[]; responses: Record<string, { description?: string }> }>>(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        const lists = /another site/.test(op.responses["403"]?.description ?? "");
        // Auth.js's POSTs are left to its CSRF token (`crossSite: "allow"`, lib/auth/route-handlers.ts)
        if (lists !== (["post", "put", "patch", "delete"].includes(m) && !isAuthJs(op))) missing.push(`${m.toUpperCase()} ${p}`);
      }
    }
    expect(missing).toEqual([]);
    expect(doc.paths["/api/auth/signout"].post.responses["403"]).toBeUndefined();
    expect(doc.paths["/api/admin/models/rollback"].post.responses["403"].description).toMatch(/^Signed in, but not an admin; or: Sent from another site/);
  });

  it("lists 413 and 415 for every operation that takes a JSON body", async () => {
    const doc = await (await GET(new Request("http://x/api/openapi.json"))).json();
    const missing: string[] = [];
    for (const [p, ops] of Object.entries<Record<string, { tags?: string[]; requestBody?: unknown; responses: Record<string, unknown> }>>(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        if (!op.requestBody) continue;
        // Auth.js reads a form or JSON body and takes any other as none (no CSRF token: a 302 to
        // MissingCSRF), so its operations answer 413 (the route wrapper's limit) but never 415
        if (isAuthJs(op)) {
          if (!op.responses["413"]) missing.push(`${m.toUpperCase()} ${p} 413`);
          if (op.responses["415"]) missing.push(`${m.toUpperCase()} ${p}: Auth.js's, lists 415`);
          continue;
        }
        for (const status of ["413", "415"]) if (!op.responses[status]) missing.push(`${m.toUpperCase()} ${p} ${status}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("describes each parameter as the handlers read it: integers with their bounds, patterns a client can use", async () => {
    const doc = await (await GET(new Request("http://x/api/openapi.json"))).json();
    type Param = { name: string; in: string; schema: { type?: string; pattern?: string; minimum?: number; maximum?: number; default?: unknown; enum?: string[] } };
    const params: [string, Param][] = [];
    const authJsParams: [string, Param][] = [];
    for (const [p, ops] of Object.entries<Record<string, { tags?: string[]; parameters?: Param[] }>>(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) for (const param of op.parameters ?? []) (isAuthJs(op) ? authJsParams : params).push([`${m.toUpperCase()} ${p} ${param.name}`, param]);
    }
    // Auth.js's one path parameter is an OAuth provider's id, not an id of ours
    expect(authJsParams.map(([where, { in: at, schema }]) => [where, at, schema.enum])).toEqual([
      ["POST /api/auth/signin/{provider} provider", "path", ["github", "google"]],
      ["GET /api/auth/callback/{provider} provider", "path", ["github", "google"]],
    ]);
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

  it("documents the crawl job's Start over (restart) option the admin form sends", async () => {
    const doc = await (await GET(new Request("http://x/api/openapi.json"))).json();
    const crawl = doc.components.schemas.CrawlJobParams;
    expect(crawl.properties.restart).toMatchObject({ type: "boolean", default: false, description: expect.stringMatching(/fetch them again.*--restart/) });
    expect(crawl.additionalProperties).toBe(false);
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
    expect(schemes(doc.paths["/api/auth/session"].get)).toEqual(["none", "session"]);
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
