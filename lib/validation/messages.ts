import { z } from "zod";

// One wording for validation messages, wherever zod checks input (API bodies and queries, admin
// forms, CLI flags, the environment): "must be at least 1" rather than zod's "Too small: expected
// number to be >=1". A message a schema sets itself still wins. Importing this module applies it.

type Bound = { minimum?: unknown; maximum?: unknown; inclusive?: boolean; origin?: string };

function bounded(issue: Bound, side: "min" | "max"): string | undefined {
  const n = Number(side === "min" ? issue.minimum : issue.maximum);
  if (!Number.isFinite(n)) return undefined;
  const limit = side === "min" ? (issue.inclusive ? `at least ${n}` : `more than ${n}`) : issue.inclusive ? `at most ${n}` : `less than ${n}`;
  switch (issue.origin) {
    case "number":
    case "int":
    case "bigint":
      return `must be ${limit}`;
    case "string":
      if (side === "min" && n === 1 && issue.inclusive) return "must not be empty";
      return `must be ${limit} ${n === 1 ? "character" : "characters"}`;
    case "array":
    case "set":
      if (side === "min" && n === 1 && issue.inclusive) return "must not be empty";
      return `must have ${limit} ${n === 1 ? "item" : "items"}`;
    default:
      return undefined;
  }
}

const TYPE_NAMES: Record<string, string> = {
  number: "a number",
  int: "a whole number",
  string: "text",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  record: "an object",
};

export function validationMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "too_small":
      return bounded(issue as Bound, "min");
    case "too_big":
      return bounded(issue as Bound, "max");
    case "invalid_type": {
      if (issue.input === undefined) return "is required";
      const expected = TYPE_NAMES[String(issue.expected)];
      if (!expected) return undefined;
      return typeof issue.input === "number" && Number.isNaN(issue.input) && issue.expected === "number" ? "must be a number" : `must be ${expected}`;
    }
    case "invalid_value":
      return oneOf(issue.values);
    case "invalid_union": {
      const { options, discriminator, input, errors } = issue as { options?: unknown[]; discriminator?: string; input?: unknown; errors?: { code: string; values?: unknown[] }[][] };
      // a discriminated union whose tag is missing or unknown ("kind": rating, watch, ...)
      if (Array.isArray(options) && options.length > 0) {
        const tag = discriminator && typeof input === "object" && input !== null ? (input as Record<string, unknown>)[discriminator] : undefined;
        return tag === undefined ? "is required" : oneOf(options);
      }
      // a union of literals (0 or 1): every branch failed on its one value
      if (errors?.length && errors.every((branch) => branch.length === 1 && branch[0].code === "invalid_value")) {
        return oneOf(errors.flatMap((branch) => branch[0].values ?? []));
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function oneOf(values: readonly unknown[]): string {
  const shown = values.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
  if (shown.length === 1) return `must be ${shown[0]}`;
  if (shown.length === 2) return `must be ${shown[0]} or ${shown[1]}`;
  return `must be one of ${shown.join(", ")}`;
}

z.config({ customError: validationMessage });
