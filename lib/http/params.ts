import { z } from "zod";

/**
 * An integer query/path parameter written in plain decimal digits. "1.5", "1e2", "+3", "0x10",
 * " 7", "NaN" and values outside [min, max] are rejected.
 */
export function intParam(min: number, max: number) {
  const schema = z
    .string()
    .regex(DIGITS, { error: "must be a whole number written in digits", abort: true })
    // too many digits for a safe number: out of range, whatever they are
    .refine((s) => s.length <= 15, { error: `must be at most ${max}`, abort: true })
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    // what the OpenAPI description shows: the integer and its bounds, not the digit pattern of its text
    .meta({ type: "integer", minimum: min, maximum: max, pattern: undefined });
  intBounds.set(schema, { min, max });
  return schema;
}

/**
 * An optional integer query parameter with a default: `intParamWithDefault(min, max, fallback)`,
 * with the default also in its OpenAPI description (which intParam's metadata would hide).
 */
export function intParamWithDefault(min: number, max: number, fallback: number) {
  return intParam(min, max).default(fallback).meta({ default: fallback });
}

/** The highest `page` a paged list reads, in the API and on the site's list pages. */
export const MAX_PAGE = 10_000;

const DIGITS = /^(0|[1-9]\d*)$/;
/** The integers the fast path (fast-query.ts) reads itself: at most 10 digits; zod decides the rest. */
export const INT_TEXT = /^(0|[1-9]\d{0,9})$/;
/** The bounds of every schema intParam made (fast-query.ts reads them). */
export const intBounds = new WeakMap<z.ZodType, { min: number; max: number }>();

// Control characters, the replacement character (from broken percent-encoding), lone surrogates,
// noncharacters, private-use characters, bidirectional embedding/override/isolate controls (which
// make text display in another order than it reads) and the zero-width space and BOM. Zero-width
// joiners stay: emoji sequences and some scripts need them.
const GARBAGE = /[\p{Cc}\p{Cs}\p{Co}\p{Noncharacter_Code_Point}\u{fffd}\u{200b}\u{feff}\u{202a}-\u{202e}\u{2066}-\u{2069}]/u;

/** Text without control, invisible-reordering or broken characters (see GARBAGE). */
export function isPlainText(s: string): boolean {
  return !GARBAGE.test(s);
}

/** Free text (e.g. a title search): trimmed, 1..max characters, no control or broken characters. */
export function textParam(max: number) {
  return z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .refine(isPlainText, "contains invalid characters");
}

const GENRE = /^[\p{L}\p{N}][\p{L}\p{N} &'-]{0,39}$/u;

/** A genre name: letters, digits, spaces, '&' and '-' only. */
export const genreParam = z
  .string()
  .trim()
  .regex(GENRE, "must be a genre name such as Drama or Science Fiction")
  // OpenAPI patterns are ECMA-262 with the `u` flag implied (the generator would append "/u");
  // the text as sent, which is trimmed first (` Drama ` is Drama)
  .meta({ pattern: `^\\s*${GENRE.source.slice(1, -1)}\\s*$` });

/**
 * The query of a public, cacheable read that takes no parameters: any is refused (400), as on the
 * reads that take some, rather than ignored (each made-up query string would be another copy in
 * a shared cache).
 */
export const noQuerySchema = z.strictObject({});

/** The body of an operation that takes no input (`expectNoBody`): nothing, or `{}`. */
export const noBodySchema = z
  .strictObject({})
  .meta({ id: "NoBody", description: "This operation takes no input: leave the body out, or send `{}`." });
