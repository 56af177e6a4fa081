import { describe, expect, it } from "vitest";
import { mulberry32 } from "@/lib/simulate/random";
import { z } from "zod";
import { movieListQuerySchema, popularQuerySchema } from "@/lib/catalog/api";
import { fastParseQuery } from "@/lib/http/fast-query";
import { intParam } from "@/lib/http/params";
import { recommendPathQuerySchema, recommendQuerySchema, similarQuerySchema } from "@/lib/recs/schemas";

// The fast check must never accept what zod rejects, and must give exactly zod's output when it
// accepts (same values, same keys in the same order).

const VALUES = [
  "", "0", "1", "7", "01", "10", "99", "100", "101", "1870", "2100", "2101", "10000", "10001",
  "2147483647", "2147483648", "99999999999", "1e3", " 1", "1 ", "+1", "-1", "1.0", "1.5", "0x10",
  "NaN", "Infinity", "\u0661", "\uff19", "Drama", "drama", "1,2,3", "abc", "\u0000", "\ud800",
];
const EXTRA_KEYS = ["bogus", "__proto__", "constructor", "toString", "K", "user_id"];

function keysOf(schema: z.ZodType): string[] {
  return Object.keys((schema as unknown as { _zod: { def: { shape: Record<string, unknown> } } })._zod.def.shape);
}

// [name, schema, whether the fast check applies to it at all]
const schemas: [string, z.ZodType, boolean][] = [
  ["recommend", recommendQuerySchema, true],
  ["recommend/[userId]", recommendPathQuerySchema, true],
  ["similar", similarQuerySchema, true],
  ["popular", popularQuerySchema, true],
  ["movies (a text default: zod only)", movieListQuerySchema, false],
  ["required and optional ints", z.strictObject({ a: intParam(1, 5), b: intParam(0, 9).optional() }), true],
];

describe("fast query check", () => {
  it.each(schemas)("%s: agrees with zod on generated queries", (_name, schema, applies) => {
    const random = mulberry32(42);
    const keys = [...keysOf(schema), ...EXTRA_KEYS];
    let decided = 0;
    for (let i = 0; i < 4000; i++) {
      const raw: Record<string, string> = {};
      let count = 0;
      for (const key of keys) {
        if (random() < (EXTRA_KEYS.includes(key) ? 0.05 : 0.5)) {
          Object.defineProperty(raw, key, { value: VALUES[Math.floor(random() * VALUES.length)], enumerable: true, writable: true, configurable: true });
          count++;
        }
      }
      const fast = fastParseQuery(schema, raw, count);
      if (fast === undefined) continue;
      decided++;
      const slow = schema.safeParse(raw);
      expect(slow.success, JSON.stringify(raw)).toBe(true);
      expect(JSON.stringify(fast), JSON.stringify(raw)).toBe(JSON.stringify(slow.data));
    }
    // and it does decide a share of them (integer-only queries), where it applies
    if (applies) expect(decided).toBeGreaterThan(10);
    else expect(decided).toBe(0);
  });

  it("decides the hot path's query and leaves the rest to zod", () => {
    expect(fastParseQuery(recommendQuerySchema, { userId: "42", k: "10" }, 2)).toEqual({ userId: 42, k: 10 });
    expect(fastParseQuery(recommendQuerySchema, { userId: "42" }, 1)).toEqual({ userId: 42, k: 10 });
    expect(fastParseQuery(recommendQuerySchema, { userId: "42", genre: "Drama" }, 2)).toBeUndefined();
    expect(fastParseQuery(recommendQuerySchema, { userId: "42", k: "0" }, 2)).toBeUndefined();
    expect(fastParseQuery(recommendQuerySchema, { k: "5" }, 1)).toBeUndefined(); // userId is required
    expect(fastParseQuery(recommendQuerySchema, { userId: "42" }, 2)).toBeUndefined(); // a key it cannot see
    expect(fastParseQuery(z.object({ k: intParam(1, 2) }), { k: "1" }, 1)).toBeUndefined(); // not strict
  });
});
