import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { zodDetails } from "@/lib/http/errors";
import { documentedRequestSchemas } from "@/lib/openapi/document";
import { MODELS } from "@/lib/recs/models";
import "@/lib/validation/messages";

// README promises one wording for a 400's `details.fields`: each message says what the field must
// be, without naming it ("must be at least 1", "is required", "unknown field"). Schemas that set
// their own message drifted from it ("Names are at most 80 characters", "rating must be at least
// 0.5", "Enter a valid email address", userId: "required"). This feeds bad input to every request
// schema the OpenAPI document lists (so a new operation's schema is covered the day it is
// documented, and tests/api/openapi.test.ts makes every route documented) and to the model
// parameters a train job takes, and holds every message it gets back to the wording.

/** A field message: a "must ..." phrase, or one of the few fixed ones. */
const WORDING = /^(must [a-z0-9"]|is required$|contains invalid characters$|unknown field$)/;

type Json = {
  $ref?: string;
  $defs?: Record<string, Json>;
  type?: string | string[];
  properties?: Record<string, Json>;
  items?: Json;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxItems?: number;
  minItems?: number;
  format?: string;
  oneOf?: Json[];
  anyOf?: Json[];
};

/** Bad values for a JSON body's field: missing, wrong types, out of any range, broken text. */
const JSON_JUNK: unknown[] = [undefined, null, true, -1, 0, 0.25, 1e300, "", "  ", "x", "x".repeat(300), "\u0000", "\u202e", [], [null], {}, { zz: 1 }];
/** Bad values for a query or path parameter, which arrive as text. */
const TEXT_JUNK: (string | undefined)[] = [undefined, "", " ", "0", "-1", "1.5", "1e3", "+3", "99999999999999999999", "abc", "x".repeat(300), "\u0000", "Drama;", "1,", "\ufffd"];

/** The JSON Schema of a schema's input side, with `$ref`s to named schemas (`.meta({ id })`) inlined. */
function inputSchema(schema: z.ZodType): Json {
  const root = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Json;
  const inline = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(inline);
    if (!value || typeof value !== "object") return value;
    const ref = (value as Json).$ref;
    if (ref?.startsWith("#/$defs/")) return inline(root.$defs?.[ref.slice("#/$defs/".length)]);
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "$defs").map(([k, v]) => [k, inline(v)]));
  };
  return inline(root) as Json;
}

/** A plausible value, so that the other fields' checks (and the object's own) run too. */
function sample(s: Json, text: boolean): unknown {
  const out = ((): unknown => {
    if (s.const !== undefined) return s.const;
    if (s.enum?.length) return s.enum[0];
    if (s.default !== undefined) return s.default;
    const union = s.oneOf ?? s.anyOf;
    if (union?.length) return sample(union[0], text);
    const type = Array.isArray(s.type) ? s.type[0] : s.type;
    switch (type) {
      case "object":
        return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, sample(v, text)]));
      case "array":
        return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => sample(s.items ?? {}, text));
      case "integer":
      case "number":
        return s.minimum ?? 1;
      case "boolean":
        return true;
      case "string":
        return s.format === "email" ? "ada@example.com" : "x".repeat(Math.max(1, s.minLength ?? 1));
      default:
        return 1;
    }
  })();
  return text && typeof out !== "object" ? String(out) : out;
}

/** Inputs that break the schema one place at a time, nested objects, lists and unions included. */
function badInputs(s: Json, text: boolean, depth = 0): unknown[] {
  const junk = text ? TEXT_JUNK : JSON_JUNK;
  const union = s.oneOf ?? s.anyOf;
  if (union) return union.flatMap((option) => badInputs(option, text, depth));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === "object") {
    const base = sample(s, text) as Record<string, unknown>;
    const out: unknown[] = [...junk, { ...base, zzUnknown: text ? "1" : 1 }];
    for (const [key, field] of Object.entries(s.properties ?? {})) {
      const nested = depth < 3 ? badInputs(field, text, depth + 1) : [];
      for (const value of [...junk, ...nested]) {
        const input = { ...base, [key]: value };
        if (value === undefined) delete input[key];
        out.push(input);
      }
    }
    return out;
  }
  if (type === "array") {
    const item = sample(s.items ?? {}, text);
    return [
      ...junk,
      [],
      Array.from({ length: (s.maxItems ?? 1000) + 1 }, () => item),
      [item, item],
      ...badInputs(s.items ?? {}, text, depth + 1).map((v) => [v]),
    ];
  }
  return junk;
}

/** Every field message the schema answers the inputs with (as a 400's `details.fields` says it). */
function fieldMessages(schema: z.ZodType, inputs: unknown[]): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  for (const input of inputs) {
    const result = schema.safeParse(input);
    if (result.success) continue;
    for (const [field, messages] of Object.entries(zodDetails(result.error).fields)) {
      for (const message of messages) seen.set(message, [...(seen.get(message) ?? []), field]);
    }
  }
  return seen;
}

type Subject = { name: string; schema: z.ZodType; text: boolean };

const subjects: Subject[] = [
  ...documentedRequestSchemas().map((s) => ({ name: `${s.operation} ${s.in}`, schema: s.schema, text: s.in !== "body" })),
  // a train job's `params` are checked against the model's own schema (lib/jobs/enqueue.ts)
  ...Object.entries(MODELS).map(([name, spec]) => ({ name: `train job params.params (${name})`, schema: spec.paramsSchema as z.ZodType, text: false })),
];

describe("one wording for field messages", () => {
  it("finds the request schemas of the documented operations", () => {
    const names = subjects.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(["POST /api/admin/api-keys body", "POST /api/recommend/clicks body", "POST /api/auth/signup body", "GET /api/recommend query", "GET /api/movies/{id} path"]));
    expect(subjects.length).toBeGreaterThan(25);
  });

  it.each(subjects.map((s) => [s.name, s] as const))("%s: every message for bad input is in the wording", (_name, subject) => {
    const inputs = badInputs(inputSchema(subject.schema), subject.text);
    const seen = fieldMessages(subject.schema, inputs);
    expect(seen.size, "no bad input was refused: the generator does not reach this schema").toBeGreaterThan(0);
    const off = [...seen].filter(([message]) => !WORDING.test(message)).map(([message, fields]) => `${[...new Set(fields)].join(", ")}: ${message}`);
    expect(off).toEqual([]);
  });

  it("covers the messages a client meets most (the generator reaches them)", () => {
    const all = new Set<string>();
    for (const s of subjects) {
      for (const message of fieldMessages(s.schema, badInputs(inputSchema(s.schema), s.text)).keys()) all.add(message);
    }
    for (const message of ["is required", "unknown field", "must be at most 80 characters", "must not be empty", "must be an email address", "must be at least 8 characters", "must be at least 0.5", "must be at most 100"]) {
      expect(all, message).toContain(message);
    }
  });

  // Field errors a service writes by hand (`{ fields: { userId: ["is required"] } }`), outside zod
  it("holds hand-written field messages in lib/ and app/ to it too", () => {
    const files = ["lib", "app"].flatMap((dir) => tsFiles(path.join(process.cwd(), dir)));
    const literal = /fields:\s*\{\s*[\w$"']+:\s*\[\s*(["'`])((?:(?!\1)[^\\]|\\.)*)\1/g;
    const found: string[] = [];
    const off: string[] = [];
    for (const file of files) {
      for (const m of fs.readFileSync(file, "utf8").matchAll(literal)) {
        found.push(m[2]);
        if (!WORDING.test(m[2])) off.push(`${path.relative(process.cwd(), file)}: ${m[2]}`);
      }
    }
    expect(found.length).toBeGreaterThanOrEqual(3); // interactions' and clicks' userId, stop's promoteArm
    expect(off).toEqual([]);
  });
});

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(full);
    return /\.tsx?$/.test(e.name) ? [full] : [];
  });
}
