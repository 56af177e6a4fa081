import type { z } from "zod";
import { INT_TEXT, intBounds } from "./params";

// Query validation without zod for the common case, on the API's hottest routes. A strict object
// schema whose parameters are intParam(...) (required, optional or with a number default) and
// other optional parameters can be checked directly when the request sends only the integer ones:
// the same regex and bounds, the same output (keys in the schema's order, defaults filled in).
// Anything else (an unknown key, a value the fast check does not accept, a parameter of another
// kind) returns undefined and zod decides, with its field errors. tests/unit/http/fast-query.test.ts
// checks that both agree on thousands of generated inputs.

type Field =
  | { name: string; kind: "int"; min: number; max: number; fallback: number | undefined; optional: boolean }
  | { name: string; kind: "other" };

type Def = { type: string; shape?: Record<string, z.ZodType>; catchall?: z.ZodType; innerType?: z.ZodType; defaultValue?: unknown };

const compiled = new WeakMap<z.ZodType, Field[] | null>();

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function compile(schema: z.ZodType): Field[] | null {
  const def = defOf(schema);
  if (def.type !== "object" || !def.shape || !def.catchall || defOf(def.catchall).type !== "never") return null;
  const fields: Field[] = [];
  for (const [name, field] of Object.entries(def.shape)) {
    const d = defOf(field);
    let inner = field;
    let fallback: number | undefined;
    let optional = false;
    if (d.type === "default") {
      if (typeof d.defaultValue !== "number") return null;
      fallback = d.defaultValue;
      inner = d.innerType!;
    } else if (d.type === "optional") {
      optional = true;
      inner = d.innerType!;
    }
    const bounds = intBounds.get(inner);
    if (bounds) fields.push({ name, kind: "int", ...bounds, fallback, optional });
    else if (optional) fields.push({ name, kind: "other" });
    else return null;
  }
  return fields;
}

/**
 * The parsed query when the fast check can decide it, else undefined (then zod must). `raw` holds
 * each parameter once (parseQuery rejects repeats first); `count` is how many it holds.
 */
export function fastParseQuery<T extends z.ZodType>(schema: T, raw: Record<string, string>, count: number): z.infer<T> | undefined {
  let fields = compiled.get(schema);
  if (fields === undefined) {
    fields = compile(schema);
    compiled.set(schema, fields);
  }
  if (!fields) return undefined;
  const out: Record<string, number> = {};
  let used = 0;
  for (const f of fields) {
    const text = Object.hasOwn(raw, f.name) ? raw[f.name] : undefined;
    if (text === undefined) {
      if (f.kind === "other" || f.optional) continue;
      if (f.fallback === undefined) return undefined;
      out[f.name] = f.fallback;
      continue;
    }
    if (f.kind !== "int" || !INT_TEXT.test(text)) return undefined;
    const n = Number(text);
    if (n < f.min || n > f.max) return undefined;
    out[f.name] = n;
    used++;
  }
  return used === count ? (out as z.infer<T>) : undefined;
}
