import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as signup } from "@/app/api/auth/signup/route";
import { GET as genres } from "@/app/api/genres/route";
import { DELETE as removeInteraction, POST as interactions } from "@/app/api/interactions/route";
import { GET as similar } from "@/app/api/movies/[id]/similar/route";
import { GET as movie } from "@/app/api/movies/[id]/route";
import { GET as movies } from "@/app/api/movies/route";
import { GET as popular } from "@/app/api/popular/route";
import { GET as poster } from "@/app/api/posters/[id]/route";
import { GET as recommendByPath } from "@/app/api/recommend/[userId]/route";
import { POST as batch } from "@/app/api/recommend/batch/route";
import { GET as recommend } from "@/app/api/recommend/route";
import { registerAccount } from "@/lib/auth/accounts";
import { readSessionClaims } from "@/lib/auth/session";
import { call, expectErrorShape } from "../helpers/call";
import { useTrainedDb } from "../helpers/trained-db";

// Property-based checks over every public handler's inputs: whatever a client sends, the answer
// is never a 5xx, every 4xx carries the standard error body, and well-formed input succeeds.
vi.mock("@/lib/auth/session", () => ({ readSessionClaims: vi.fn(async () => null) }));
const signedInAs = (id: number | null) => vi.mocked(readSessionClaims).mockResolvedValue(id === null ? null : { id });

type Handler = Parameters<typeof call>[0];
type Res = Awaited<ReturnType<typeof call>>;

const SEED = 20_261_122;
const opts = (numRuns = 150) => ({ numRuns, seed: SEED });

let env: Awaited<ReturnType<typeof useTrainedDb>>;
let userId: number;
let movieIds: number[];
let genreNames: string[];
beforeAll(async () => {
  // Thousands of requests from one (unknown) address: the public API limit would answer 429s
  // here; this file is about input handling, the limit has its own tests (ratelimit-public).
  process.env.API_RATE_LIMIT = "0";
  env = await useTrainedDb({ users: 60 });
  userId = (await registerAccount({ email: "fuzzer@example.com", password: "password-1" })).id;
  movieIds = (await call(movies, "/api/movies?pageSize=100")).json.items.map((m: { id: number }) => m.id);
  genreNames = (await call(genres, "/api/genres")).json.items.map((g: { name: string }) => g.name);
  expect(movieIds.length).toBeGreaterThan(20);
  expect(genreNames.length).toBeGreaterThan(3);
}, 120_000);
afterAll(() => env.cleanup());
beforeEach(() => signedInAs(null));

/** No 5xx ever; any 4xx is the standard `{ error: { code, message } }` body. */
function expectSafe(res: Res, input: unknown) {
  const where = `input ${safeJson(input)} → ${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, where).toBeLessThan(500);
  if (res.status >= 400) {
    try {
      expectErrorShape(res.json);
    } catch (err) {
      throw new Error(`${(err as Error).message}; ${where}`);
    }
  }
}

function expectOk(res: Res, input: unknown, status = 200) {
  expect(res.status, `input ${safeJson(input)} → ${res.status} ${res.text.slice(0, 300)}`).toBe(status);
}

function safeJson(v: unknown) {
  try {
    return JSON.stringify(v)?.slice(0, 300);
  } catch {
    return String(v);
  }
}

// ---------- generators ----------

const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)); // incl. lone surrogates
const nasty = fc.constantFrom(
  "",
  " ",
  "\u0000",
  "\t\n\r",
  "\u007f",
  "\u0085",
  "\ufffd",
  "\ud800",
  "\udc00",
  "a\ud83dz",
  "😀",
  "Ｄｒａｍａ",
  "١٢٣",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "%",
  "%zz",
  "%00",
  "../../etc/passwd",
  "%2e%2e%2f%2e%2e",
  "..%2F..%2F",
  "..\\..\\",
  "a".repeat(5000),
);
const junkString = fc.oneof(
  nasty,
  fc.string({ maxLength: 40 }),
  fc.string({ unit: anyUnit, maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
);
// Numbers written the ways a client might: at and past the limits, signed, huge, float, NaN.
const numberish = fc.oneof(
  fc.constantFrom(
    "0", "1", "-1", "100", "101", "1000", "1001", "10000", "10001", "1869", "1870", "2100", "2101",
    "2147483647", "2147483648", "4294967296", "9007199254740993", "99999999999999999999", "1e2", "1.5",
    "1.0", "+3", " 7", "7 ", "0x10", "0b1", "010", "00", "-0", "NaN", "Infinity", "-Infinity", "null",
    "true", "[]", "{}", "1,2", "1;2", "１２",
  ),
  fc.integer().map(String),
  fc.double().map(String),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
);
const value = fc.oneof(junkString, numberish);
// Path ids: the same plus traversal and encoded separators.
const pathId = fc.oneof(
  value,
  fc.constantFrom("../", "..", ".", "%2e%2e", "%2e%2e%2f1", "1/../2", "1%2f2", "1/", "/1", "1?x=1", "1#a", "1\u0000"),
);

/** Query pairs: known keys with junk or plausible values, unknown keys, and duplicates. */
function queryPairs(keys: string[], good: Record<string, fc.Arbitrary<string>>) {
  const key = fc.oneof(fc.constantFrom(...keys), junkString);
  const pair = fc.tuple(key, fc.oneof(value, ...Object.values(good)));
  return fc.array(pair, { maxLength: 6 });
}

/** Builds the URL; URLSearchParams percent-encodes anything (lone surrogates become U+FFFD). */
function withQuery(path: string, pairs: [string, string][], raw = "") {
  const qs = new URLSearchParams(pairs).toString();
  const all = [qs, raw].filter(Boolean).join("&");
  return all ? `${path}?${all}` : path;
}
// Raw query fragments that are not what URLSearchParams would write: broken escapes, bare '='.
const rawQuery = fc.constantFrom("", "", "", "%", "k=%zz", "k=%ff%fe", "=", "&&", "k", "k=%E0%A4%A", "userId=%00", "%2e%2e=1");

function encodeSegment(s: string) {
  try {
    return encodeURIComponent(s);
  } catch {
    return "x"; // a lone surrogate cannot be percent-encoded; the handler still sees it via params
  }
}

// JSON of any shape, including the wrong types for known fields.
const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.anything({ maxDepth: 2, withNullPrototype: false }).map((v) => {
    try {
      return JSON.parse(JSON.stringify(v) ?? "null");
    } catch {
      return null;
    }
  }),
);
const wrongType = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 0.5, 1e308, -1e308, "", "1", [], {}, [1], { a: 1 }),
  fc.double(), // JSON.stringify turns NaN/Infinity into null
  junkString,
  numberish,
  fc.integer(),
);

/** An object made from `good` fields, each kept, dropped, or replaced with a wrong value, plus extras. */
function mangled(good: fc.Arbitrary<Record<string, unknown>>) {
  return fc
    .tuple(good, fc.array(fc.tuple(fc.nat(), fc.constantFrom("drop", "wrong", "keep", "keep")), { maxLength: 4 }), fc.dictionary(junkString, wrongType, { maxKeys: 2 }), wrongType)
    .map(([obj, edits, extra, bad]) => {
      const out: Record<string, unknown> = { ...obj };
      const keys = Object.keys(obj);
      for (const [i, edit] of edits) {
        if (!keys.length) break;
        const k = keys[i % keys.length];
        if (edit === "drop") delete out[k];
        if (edit === "wrong") out[k] = bad;
      }
      return Object.keys(extra).length && edits.length % 2 ? { ...out, ...extra } : out;
    });
}

// Raw bodies: not JSON, truncated JSON, invalid UTF-8, empty, and over the 64 KB limit.
type RawBody = { body: string | Uint8Array; contentType?: string; tooLarge?: boolean };
const rawBody: fc.Arbitrary<RawBody> = fc.oneof(
  fc.constantFrom<RawBody>(
    { body: "" },
    { body: "{" },
    { body: '{"a":' },
    { body: "[1,2" },
    { body: "undefined" },
    { body: "NaN" },
    { body: "{'a':1}" },
    { body: '{"a":1}garbage' },
    { body: '{"a":1,"a":1}' },
    { body: "\ufeff{}" },
    { body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
    { body: new Uint8Array([0xc0, 0x80]) },
    { body: "{}", contentType: "text/plain" },
    { body: "{}", contentType: "application/x-www-form-urlencoded" },
    { body: "{}", contentType: "" },
    { body: "{}", contentType: "application/jsonx" },
    { body: "{}", contentType: "application/problem+json" },
    { body: "{}", contentType: "APPLICATION/JSON; charset=utf-8" },
  ),
  junkString.map((body) => ({ body })),
  fc.integer({ min: 64 * 1024 + 1, max: 200 * 1024 }).map((n) => ({ body: JSON.stringify({ pad: "x".repeat(n) }), tooLarge: true })),
);

async function sendRaw(handler: Handler, url: string, raw: RawBody, headers: Record<string, string> = {}) {
  const h: Record<string, string> = { ...headers };
  if (raw.contentType !== "") h["content-type"] = raw.contentType ?? "application/json";
  const req = new Request(`http://127.0.0.1${url}`, { method: "POST", body: raw.body as BodyInit, headers: h });
  const res = await handler(req, { params: Promise.resolve({}) });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text } as Res;
}

// Valid values, drawn from the seeded catalog at run time.
const validUserId = fc.integer({ min: 1, max: 2_147_483_647 });
const validK = fc.integer({ min: 1, max: 100 });
const pickGenre = () => fc.constantFrom(...genreNames);
const pickMovie = () => fc.constantFrom(...movieIds);
// Same rule as textParam: no control, broken or lone-surrogate characters, not blank.
const GARBAGE = /[\u0000-\u001f\u007f-\u009f\ufffd]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const validText = fc
  .oneof(fc.string({ minLength: 1, maxLength: 100 }), fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }))
  .filter((s) => s.trim().length > 0 && s.trim().length <= 100 && !GARBAGE.test(s));

function optionalPairs(fields: Record<string, fc.Arbitrary<string>>) {
  return fc.record(fields, { requiredKeys: [] }).map((r) => Object.entries(r) as [string, string][]);
}

// ---------- GET routes with a query ----------

describe("GET /api/recommend", () => {
  const keys = ["userId", "k", "genre", "exclude"];
  it("never 5xx on arbitrary queries", async () => {
    const good = { userId: validUserId.map(String), k: validK.map(String), exclude: fc.array(fc.nat(), { maxLength: 120 }).map((a) => a.join(",")) };
    await fc.assert(
      fc.asyncProperty(queryPairs(keys, good), rawQuery, async (pairs, raw) => {
        expectSafe(await call(recommend, withQuery("/api/recommend", pairs, raw)), { pairs, raw });
      }),
      opts(200),
    );
  });

  it("serves any valid query", async () => {
    const q = fc.tuple(
      validUserId.map((u) => ["userId", String(u)] as [string, string]),
      optionalPairs({
        k: validK.map(String),
        genre: pickGenre(),
        exclude: fc.uniqueArray(pickMovie(), { minLength: 1, maxLength: 20 }).map((a) => a.join(",")),
      }),
    );
    await fc.assert(
      fc.asyncProperty(q, async ([user, rest]) => {
        const res = await call(recommend, withQuery("/api/recommend", [user, ...rest]));
        expectOk(res, [user, ...rest]);
      }),
      opts(120),
    );
  });
});

describe("GET /api/recommend/[userId]", () => {
  it("never 5xx on arbitrary path ids and queries", async () => {
    await fc.assert(
      fc.asyncProperty(pathId, queryPairs(["k", "genre", "exclude", "userId"], { k: validK.map(String) }), rawQuery, async (id, pairs, raw) => {
        const res = await call(recommendByPath, withQuery(`/api/recommend/${encodeSegment(id)}`, pairs, raw), { params: { userId: id } });
        expectSafe(res, { id, pairs, raw });
      }),
      opts(200),
    );
  });

  it("serves any valid user id and query", async () => {
    await fc.assert(
      fc.asyncProperty(validUserId, optionalPairs({ k: validK.map(String), genre: pickGenre() }), async (id, pairs) => {
        const res = await call(recommendByPath, withQuery(`/api/recommend/${id}`, pairs), { params: { userId: String(id) } });
        expectOk(res, { id, pairs });
      }),
      opts(100),
    );
  });
});

describe("GET /api/movies", () => {
  const keys = ["query", "genre", "year", "sort", "page", "pageSize"];
  const good = { sort: fc.constantFrom("popularity", "rating", "year", "title", "POPULARITY", "random"), year: fc.integer({ min: 1800, max: 2200 }).map(String) };
  it("never 5xx on arbitrary queries", async () => {
    await fc.assert(
      fc.asyncProperty(queryPairs(keys, good), rawQuery, async (pairs, raw) => {
        expectSafe(await call(movies, withQuery("/api/movies", pairs, raw)), { pairs, raw });
      }),
      opts(200),
    );
  });

  it("serves any valid query", async () => {
    const q = optionalPairs({
      query: validText,
      genre: pickGenre(),
      year: fc.integer({ min: 1870, max: 2100 }).map(String),
      sort: fc.constantFrom("popularity", "rating", "year", "title"),
      page: fc.integer({ min: 1, max: 10_000 }).map(String),
      pageSize: validK.map(String),
    });
    await fc.assert(
      fc.asyncProperty(q, async (pairs) => expectOk(await call(movies, withQuery("/api/movies", pairs)), pairs)),
      opts(150),
    );
  });
});

describe("GET /api/popular", () => {
  it("never 5xx on arbitrary queries", async () => {
    await fc.assert(
      fc.asyncProperty(queryPairs(["genre", "k"], { k: validK.map(String) }), rawQuery, async (pairs, raw) => {
        expectSafe(await call(popular, withQuery("/api/popular", pairs, raw)), { pairs, raw });
      }),
      opts(150),
    );
  });

  it("serves any valid query", async () => {
    await fc.assert(
      fc.asyncProperty(optionalPairs({ genre: pickGenre(), k: validK.map(String) }), async (pairs) => {
        expectOk(await call(popular, withQuery("/api/popular", pairs)), pairs);
      }),
      opts(100),
    );
  });
});

describe("GET /api/genres", () => {
  it("answers without a query and refuses any parameter (it takes none)", async () => {
    await fc.assert(
      fc.asyncProperty(queryPairs(["genre"], {}), rawQuery, async (pairs, raw) => {
        const url = withQuery("/api/genres", pairs, raw);
        const res = await call(genres, url);
        expectSafe(res, { pairs, raw });
        expectOk(res, { pairs, raw }, [...new URL(url, "http://x").searchParams].length === 0 ? 200 : 400);
      }),
      opts(100),
    );
  });
});

// ---------- GET routes with a movie id in the path ----------

describe.each([
  ["/api/movies/[id]", movie, ""],
  ["/api/movies/[id]/similar", similar, "/similar"],
  ["/api/posters/[id]", poster, ""],
] as const)("GET %s", (_name, handler, suffix) => {
  const base = handler === poster ? "/api/posters/" : "/api/movies/";
  it("never 5xx on arbitrary ids (traversal, huge, signed, float, unicode)", async () => {
    await fc.assert(
      fc.asyncProperty(pathId, queryPairs(["k"], { k: validK.map(String) }), async (id, pairs) => {
        const res = await call(handler, withQuery(`${base}${encodeSegment(id)}${suffix}`, pairs), { params: { id } });
        expectSafe(res, { id, pairs });
        if (res.status === 200 && handler !== similar) expect(/^[1-9]\d*$/.test(id), `accepted id ${JSON.stringify(id)}`).toBe(true);
      }),
      opts(150),
    );
  });

  it("serves every catalog id; an unknown id is a 404", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(pickMovie(), validUserId), async (id) => {
        const url = `${base}${id}${suffix}`;
        const res = await call(handler, handler === similar ? `${url}?k=5` : url, { params: { id: String(id) } });
        if (movieIds.includes(id)) expectOk(res, id);
        else {
          expectSafe(res, id);
          expect([200, 404], res.text).toContain(res.status);
        }
        if (res.status === 200 && handler === poster) expect(res.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
      }),
      opts(120),
    );
  });
});

// ---------- POST routes ----------

describe("POST /api/recommend/batch", () => {
  const goodBatch = fc.record({ userIds: fc.array(validUserId, { minLength: 1, maxLength: 10 }), k: validK }, { requiredKeys: ["userIds"] });
  const post = (body: unknown) => call(batch, "/api/recommend/batch", { method: "POST", body });

  it("never 5xx on arbitrary JSON bodies", async () => {
    const body = fc.oneof(
      anyJson,
      mangled(goodBatch),
      fc.record({ userIds: fc.array(wrongType, { maxLength: 5 }), k: wrongType }),
      fc.constant({ userIds: Array.from({ length: 1001 }, (_, i) => i + 1) }),
      fc.constant({ userIds: [] }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => expectSafe(await post(b), b)),
      opts(200),
    );
  });

  it("never 5xx on raw bodies; over 64 KB is 413", async () => {
    await fc.assert(
      fc.asyncProperty(rawBody, async (raw) => {
        const res = await sendRaw(batch, "/api/recommend/batch", raw);
        expectSafe(res, { ...raw, body: String(raw.body).slice(0, 80) });
        if (raw.tooLarge) expect(res.status).toBe(413);
      }),
      opts(100),
    );
  });

  it("serves any valid body", async () => {
    await fc.assert(
      fc.asyncProperty(goodBatch, async (b) => {
        const res = await post(b);
        expectOk(res, b);
        expect(res.json.results).toHaveLength(new Set(b.userIds).size);
      }),
      opts(100),
    );
  });
});

describe("POST /api/interactions (signed in)", () => {
  const post = (body: unknown) => call(interactions, "/api/interactions", { method: "POST", body });
  const rating = fc.constantFrom(0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5);
  const goodBody = () =>
    fc.oneof(
      fc.record({ kind: fc.constant("rating"), movieId: pickMovie(), value: rating }),
      fc.record({ kind: fc.constant("watch"), movieId: pickMovie(), watchSeconds: fc.integer({ min: 0, max: 86_400 }) }, { requiredKeys: ["kind", "movieId"] }),
      fc.record({ kind: fc.constantFrom("like", "watchlist"), movieId: pickMovie(), value: fc.constantFrom(0, 1) }, { requiredKeys: ["kind", "movieId"] }),
    );

  it("never 5xx on arbitrary JSON bodies", async () => {
    signedInAs(userId);
    const body = fc.oneof(
      anyJson,
      mangled(goodBody()),
      // Well-typed but out of range or unknown: ids past int32, movies not in the catalog, bad star values.
      fc.record({
        kind: fc.constantFrom("rating", "watch", "like", "watchlist", "Rating", "skip", ""),
        movieId: fc.oneof(pickMovie(), fc.integer({ min: -5, max: 2_147_483_647 }), fc.constantFrom(0, 2_147_483_648, 1.5, 1e20)),
        value: fc.oneof(rating, fc.double(), fc.constantFrom(0, 2, -1, 5.5, 0.25)),
        watchSeconds: fc.oneof(fc.integer({ min: -10, max: 100_000 }), fc.double()),
        userId: fc.oneof(fc.constant(userId), fc.integer({ min: -1, max: 2_147_483_648 })),
      }, { requiredKeys: ["kind", "movieId"] }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => expectSafe(await post(b), b)),
      opts(200),
    );
  });

  it("a well-formed body for a movie not in the catalog or for another user is a 4xx, not a 5xx", async () => {
    signedInAs(userId);
    const body = fc.tuple(goodBody(), fc.integer({ min: 1, max: 2_147_483_647 }), fc.option(fc.integer({ min: 1, max: 2_147_483_647 }), { nil: undefined }));
    await fc.assert(
      fc.asyncProperty(body, async ([b, movieId, who]) => {
        const input = { ...b, movieId, ...(who === undefined ? {} : { userId: who }) };
        const res = await post(input);
        expectSafe(res, input);
        if (who !== undefined && who !== userId) expect(res.status, res.text).toBe(403);
        else if (!movieIds.includes(movieId)) expect(res.status, res.text).toBeGreaterThanOrEqual(400);
      }),
      opts(100),
    );
  });

  it("never 5xx on raw bodies; over 64 KB is 413", async () => {
    signedInAs(userId);
    await fc.assert(
      fc.asyncProperty(rawBody, async (raw) => {
        const res = await sendRaw(interactions, "/api/interactions", raw);
        expectSafe(res, { ...raw, body: String(raw.body).slice(0, 80) });
        if (raw.tooLarge) expect(res.status).toBe(413);
      }),
      opts(100),
    );
  });

  it("records any valid body (201), with or without its own userId", async () => {
    signedInAs(userId);
    await fc.assert(
      fc.asyncProperty(goodBody(), fc.boolean(), async (b, own) => {
        const body = own ? { ...b, userId } : b;
        const res = await post(body);
        expectOk(res, body, 201);
        expect(res.json).toMatchObject({ userId, movieId: b.movieId, kind: b.kind });
      }),
      opts(120),
    );
  });
});

describe("DELETE /api/interactions (signed in)", () => {
  const keys = ["movieId", "kind", "userId"];
  // built inside the tests: the catalog ids are known only after beforeAll
  const good = () => ({ movieId: pickMovie().map(String), kind: fc.constantFrom("rating", "watch", "like", "watchlist") });

  it("never 5xx on arbitrary queries", async () => {
    signedInAs(userId);
    await fc.assert(
      fc.asyncProperty(queryPairs(keys, good()), rawQuery, async (pairs, raw) => {
        expectSafe(await call(removeInteraction, withQuery("/api/interactions", pairs, raw), { method: "DELETE" }), { pairs, raw });
      }),
      opts(200),
    );
  });

  it("answers any valid query with 200, removed or not", async () => {
    signedInAs(userId);
    const { movieId: anyMovie, kind: anyKind } = good();
    await fc.assert(
      fc.asyncProperty(anyMovie, anyKind, async (movieId, kind) => {
        const res = await call(removeInteraction, `/api/interactions?movieId=${movieId}&kind=${kind}`, { method: "DELETE" });
        expectOk(res, { movieId, kind });
        expect(typeof res.json.removed).toBe("boolean");
      }),
      opts(50),
    );
  });
});

describe("POST /api/auth/signup", () => {
  // A fresh client address per request, so the sign-up rate limits never decide the outcome.
  let n = 0;
  const post = (body: unknown) =>
    call(signup, "/api/auth/signup", { method: "POST", body, headers: { "x-forwarded-for": `10.${(++n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` } });
  const goodSignup = fc.record({
    // The addresses zod's email rule accepts (fc.emailAddress also makes RFC oddities like "!a.a@a.aa"),
    // sometimes in capitals or padded with spaces, which sign-up trims and lower-cases.
    email: fc
      .tuple(fc.stringMatching(/^[a-z0-9]([a-z0-9._+-]{0,14}[a-z0-9])?@[a-z0-9]{1,10}\.(com|org|io|example)$/), fc.constantFrom("", " ", "upper"))
      .filter(([e]) => !e.includes(".."))
      .map(([e, how]) => (how === "upper" ? e.toUpperCase() : `${how}${e}${how}`)),
    password: fc.string({ unit: "grapheme-ascii", minLength: 8, maxLength: 200 }),
  });

  it("never 5xx on arbitrary JSON bodies", async () => {
    const body = fc.oneof(
      anyJson,
      mangled(goodSignup),
      fc.record({
        email: fc.oneof(junkString, fc.constant(`${"a".repeat(250)}@example.com`), fc.constant(" A@B.CO "), fc.constant("a@b")),
        password: fc.oneof(junkString, fc.string({ unit: anyUnit, minLength: 8, maxLength: 210 })),
      }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => expectSafe(await post(b), b)),
      opts(150),
    );
  });

  it("never 5xx on raw bodies; over 64 KB is 413", async () => {
    await fc.assert(
      fc.asyncProperty(rawBody, async (raw) => {
        const res = await sendRaw(signup, "/api/auth/signup", raw, { "x-forwarded-for": `10.200.0.${++n & 255}` });
        expectSafe(res, { ...raw, body: String(raw.body).slice(0, 80) });
        if (raw.tooLarge) expect(res.status).toBe(413);
      }),
      opts(100),
    );
  });

  it("creates an account for any valid email and password (201); the same email again is 409", async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(goodSignup, async (b) => {
        const res = await post(b);
        const key = b.email.trim().toLowerCase();
        if (seen.has(key)) {
          expect(res.status, res.text).toBe(409);
          expectErrorShape(res.json);
          return;
        }
        expectOk(res, b, 201);
        seen.add(key);
        expect(res.json.user.email).toBe(key);
      }),
      opts(25),
    );
  });
});
