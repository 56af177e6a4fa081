import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ApiError } from "@/lib/http/errors";
import { intParam } from "@/lib/http/params";
import { parseFormBytes, parseJsonBody, parseJsonBytes, parseQuery, pathOf, route } from "@/lib/http/route";
import { testingPostgres } from "../../helpers/temp-db";

describe("route wrapper", () => {
  it("maps ApiError to its status and the standard body", async () => {
    const handler = route(() => {
      throw new ApiError("not_found", "No movie with id 9");
    });
    const res = await handler(new Request("http://x/api/thing"));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "not_found", message: "No movie with id 9" } });
  });

  it("hides unknown errors behind a generic 500", async () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await route(() => {
      throw new Error("SQLITE_ERROR: no such table: secret_stuff");
    })(new Request("http://x/api/thing"));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("SQLITE");
    expect(JSON.parse(text).error.code).toBe("internal");
    // the server log has it, with the request id, as one line (one event in a log collector)
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0]).toHaveLength(1);
    expect(String(spy.mock.calls[0][0])).toMatch(/^\[[\w-]+\] unhandled error in \/api\/thing: Error: SQLITE_ERROR: no such table: secret_stuff \[at [^\n]+\]$/);
    spy.mockRestore();
  });

  it("answers a database that cannot be used 503 not_ready with Retry-After, logged in one line (was a 500, as for a bug)", async () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    // drizzle wraps the driver's error: the code is searched along the cause chain
    const locked = Object.assign(new Error("Failed query: insert into interactions …"), { cause: Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }) });
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    // the failure of the database this process runs on; the other's code is not an outage here
    const [outage, other] = testingPostgres() ? [refused, locked] : [locked, refused];
    const answer = (err: Error) => route(() => Promise.reject(err))(new Request("http://x/api/thing", { headers: { "x-request-id": "r-9" } }));
    const res = await answer(outage);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    const text = await res.text();
    expect(text).not.toMatch(/SQLITE|ECONNREFUSED|insert/);
    expect(JSON.parse(text)).toEqual({ error: { code: "not_ready", message: "The database is unavailable right now. Try again shortly." } });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(String(spy.mock.calls[0][0])).toMatch(
      testingPostgres() ? /^\[r-9\] \/api\/thing: the PostgreSQL database .* cannot be used: connect ECONNREFUSED/ : /^\[r-9\] \/api\/thing: the SQLite database .* is busy/,
    );
    expect((await answer(other)).status).toBe(500);
    spy.mockRestore();
  });

  it("answers a handler that answers at once without a promise, and waits for one that does not", async () => {
    const sync = route(({ requestId }) => Response.json({ requestId }))(new Request("http://x/api/a", { headers: { "x-request-id": "r-1" } }));
    expect(sync).toBeInstanceOf(Response);
    expect((sync as Response).headers.get("x-request-id")).toBe("r-1");
    const later = route(async () => Response.json({ ok: true }))(new Request("http://x/api/a"));
    expect(later).toBeInstanceOf(Promise);
    expect((await later).headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    // path parameters arrive as a promise: handled, and a rejected handler still gets the error body
    const withParams = route(({ params }) => {
      throw new ApiError("not_found", `No movie with id ${params.id}`);
    })(new Request("http://x/api/movies/9"), { params: Promise.resolve({ id: "9" }) });
    expect(withParams).toBeInstanceOf(Promise);
    const res = await withParams;
    expect([res.status, (await res.json()).error.message]).toEqual([404, "No movie with id 9"]);
    const rejected = await route(() => Promise.reject(new ApiError("bad_request", "no")))(new Request("http://x/api/a"));
    expect(rejected.status).toBe(400);
  });

  it("takes the metric label's path from the URL text as URL would", () => {
    for (const url of [
      "http://127.0.0.1:3000/api/recommend?userId=1&k=10",
      "https://example.com/api/movies/12/similar#top",
      "http://x/api/movies?query=a/b?c",
      "http://x/",
      "http://x/api/%E2%9C%93?x=%2F",
      "http://user:pw@host:1/a/b/c?",
    ]) {
      expect(pathOf(url), url).toBe(new URL(url).pathname);
    }
  });

  it("rejects repeated and invalid query parameters with field details", () => {
    const schema = z.object({ k: z.coerce.number().int().min(1).max(100) });
    expect(() => parseQuery(new Request("http://x/?k=1&k=2"), schema)).toThrow(/more than once/);
    try {
      parseQuery(new Request("http://x/?k=abc"), schema);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).status).toBe(400);
      expect((err as ApiError).details).toMatchObject({ fields: { k: expect.any(Array) } });
    }
    expect(parseQuery(new Request("http://x/?k=7"), schema)).toEqual({ k: 7 });
  });

  it("treats a parameter named __proto__ like any other: unknown, and repeated", () => {
    const schema = z.strictObject({ k: intParam(1, 100) });
    for (const url of ["http://x/?k=5&__proto__=1", "http://x/?__proto__=1&__proto__=2&k=5", "http://x/?k=5&constructor=1"]) {
      expect(() => parseQuery(new Request(url), schema), url).toThrow(ApiError);
    }
    expect(parseQuery(new Request("http://x/?k=5"), schema)).toEqual({ k: 5 });
    let refused: unknown;
    try {
      parseQuery(new Request("http://x/?k=5&__proto__=1"), schema);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(ApiError);
    const details = (refused as ApiError).details as { fields: Record<string, string[]> };
    // named as its own field, and written out as one
    expect(Object.hasOwn(details.fields, "__proto__")).toBe(true);
    expect(JSON.stringify(details)).toBe('{"fields":{"__proto__":["unknown field"]}}');
  });
});

describe("parseJsonBody", () => {
  const schema = z.object({ a: z.number() });
  const post = (type: string, body: BodyInit) => new Request("http://x/", { method: "POST", headers: { "content-type": type }, body });

  it("takes application/json and +json types, with parameters, and refuses look-alikes with 415", async () => {
    for (const type of ["application/json", "application/json; charset=utf-8", "Application/JSON", "application/problem+json"]) {
      expect(await parseJsonBody(post(type, '{"a":1}'), schema), type).toEqual({ a: 1 });
    }
    for (const type of ["application/json-seq", "application/json.foo", "application/jsonx", "text/json", ""]) {
      await expect(parseJsonBody(post(type, '{"a":1}'), schema), type).rejects.toMatchObject({ status: 415 });
    }
  });

  it("answers 400, not a server error, when the client goes away mid-body", async () => {
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"a":'));
        c.error(new Error("aborted"));
      },
    });
    const request = new Request("http://x/", { method: "POST", headers: { "content-type": "application/json" }, body, duplex: "half" } as RequestInit);
    await expect(parseJsonBody(request, schema)).rejects.toMatchObject({ status: 400, code: "bad_request" });
  });
});

describe("parseFormBytes and parseJsonBytes", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  const refusal = (read: () => unknown) => {
    try {
      read();
    } catch (err) {
      return err instanceof ApiError ? { status: err.status, details: err.details } : err;
    }
    return undefined;
  };

  it("reads form fields as URLSearchParams decodes them, and refuses a field given twice (however it is encoded)", () => {
    expect(Object.entries(parseFormBytes(bytes("email=a%40b.io&password=p+w&__proto__=x")))).toEqual([
      ["email", "a@b.io"],
      ["password", "p w"],
      ["__proto__", "x"],
    ]);
    for (const text of ["email=a@x.io&email=b@x.io", "email=a@x.io&%65mail=b@x.io", "email=&password=x&email=b@x.io"]) {
      expect(refusal(() => parseFormBytes(bytes(text))), text).toEqual({ status: 400, details: { fields: { email: ["must be given at most once"] } } });
    }
  });

  it("parses JSON and refuses a key named twice, or text that is not JSON", () => {
    expect(parseJsonBytes(bytes('{"email":"a@x.io"}'))).toEqual({ email: "a@x.io" });
    expect(refusal(() => parseJsonBytes(bytes('{"email":"a@x.io","email":"b@x.io"}')))).toEqual({ status: 400, details: { fields: { email: ["must be given at most once"] } } });
    expect(refusal(() => parseJsonBytes(bytes("{")))).toMatchObject({ status: 400 });
  });
});

describe("request ids", () => {
  const idOf = (given?: string) => {
    const res = route(({ requestId }) => Response.json({ requestId }))(
      new Request("http://x/api/a", { headers: given === undefined ? {} : { "x-request-id": given } }),
    ) as Response;
    return res.headers.get("x-request-id");
  };

  it("keeps a caller's plain id and replaces one that is long or odd", () => {
    expect(idOf("trace-01HF.abc:42_x")).toBe("trace-01HF.abc:42_x");
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    expect(idOf()).toMatch(uuid);
    // echoed into headers, bodies and logs: a 10 KB id, spaces or markup are not kept
    for (const odd of ["x".repeat(129), "a b", "<script>", "ünïcode", ""]) expect(idOf(odd), odd).toMatch(uuid);
  });
});
