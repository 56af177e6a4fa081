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
      return `must be ${limit} ${n === 1 ? "character" : "characters"} long`;
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
    default:
      return undefined;
  }
}

z.config({ customError: validationMessage });
