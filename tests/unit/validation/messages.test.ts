import { describe, expect, it } from "vitest";
import { z } from "zod";
import { zodDetails } from "@/lib/http/errors";
import "@/lib/validation/messages";
import { enqueueJobSchema } from "@/lib/jobs/schemas";

const messages = (schema: z.ZodType, input: unknown) => {
  const result = schema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("validation messages", () => {
  it.each([
    [z.object({ n: z.int().min(1) }), { n: 0 }, "n: must be at least 1"],
    [z.object({ n: z.number().max(100) }), { n: 101 }, "n: must be at most 100"],
    [z.object({ n: z.number().gt(0) }), { n: 0 }, "n: must be more than 0"],
    [z.object({ s: z.string().min(1) }), { s: "" }, "s: must not be empty"],
    [z.object({ s: z.string().max(3) }), { s: "abcd" }, "s: must be at most 3 characters"],
    [z.object({ a: z.array(z.int()).max(2) }), { a: [1, 2, 3] }, "a: must have at most 2 items"],
    [z.object({ a: z.array(z.int()).min(1) }), { a: [] }, "a: must not be empty"],
    [z.object({ n: z.int() }), {}, "n: is required"],
    [z.object({ n: z.int() }), { n: "7" }, "n: must be a number"],
    [z.object({ n: z.number() }), { n: Number.NaN }, "n: must be a number"],
    [z.object({ b: z.boolean() }), { b: "yes" }, "b: must be true or false"],
    [z.object({ e: z.enum(["a", "b", "c"]) }), { e: "x" }, "e: must be one of a, b, c"],
    [z.object({ l: z.literal("on") }), { l: "off" }, "l: must be on"],
    [z.object({ v: z.union([z.literal(0), z.literal(1)]) }), { v: 2 }, "v: must be 0 or 1"],
    [z.discriminatedUnion("kind", [z.object({ kind: z.literal("a") }), z.object({ kind: z.literal("b") })]), {}, "kind: is required"],
    [z.discriminatedUnion("kind", [z.object({ kind: z.literal("a") }), z.object({ kind: z.literal("b") })]), { kind: "c" }, "kind: must be a or b"],
  ])("%#: %j → %s", (schema, input, expected) => {
    expect(messages(schema, input)).toEqual([expected]);
  });

  it("says only the tighter of two bounds on a field in an API's field errors (an integer's safe range, the schema's maximum)", () => {
    const result = z.object({ s: z.int().min(0).max(86_400) }).safeParse({ s: 1e300 });
    expect(zodDetails(result.error!)).toEqual({ fields: { s: ["must be at most 86400"] } });
  });

  it("leaves a message a schema sets itself", () => {
    expect(messages(z.object({ n: z.int().min(1, "pick at least one") }), { n: 0 })).toEqual(["n: pick at least one"]);
  });

  it("reads well in an admin form's field errors (an empty page number was 'Too small: expected number to be >=1')", () => {
    expect(messages(enqueueJobSchema, { kind: "crawl", params: { pages: { from: 0, to: 2 } } })).toEqual(["params.pages.from: must be at least 1"]);
  });
});
