// Interaction log formats: detection from the first line, and zod validation of every row into
// one shape. Pure: no file or database access.
import { z } from "zod";
import { splitCsvLine } from "./import-file";
import { ratingValueSchema } from "./schemas";

export const importFormats = ["udata", "movielens-csv", "generic"] as const;
export type ImportFormat = (typeof importFormats)[number];

export const formatDescriptions: Record<ImportFormat, string> = {
  udata: "MovieLens u.data: user<TAB>item<TAB>rating<TAB>timestamp, no header (also ratings.dat with ::)",
  "movielens-csv": "MovieLens ratings.csv: header userId,movieId,rating,timestamp",
  generic: "generic CSV: header user_id,tmdb_id,rating,watch_seconds,timestamp (rating/watch_seconds may be empty)",
};

/** One validated row. `item` is the file's item id: a MovieLens id or a TMDB id, by format. */
export type ImportRow = {
  user: string;
  item: number;
  rating: number | null;
  watchSeconds: number | null;
  timestampMs: number;
};

export type ParseResult = { ok: true; row: ImportRow } | { ok: false; reason: string };

const MAX_INT = 2 ** 31 - 1;
// Epoch seconds before 1990 or after 2100 are almost certainly a unit mistake.
const MIN_EPOCH_S = Date.UTC(1990, 0, 1) / 1000;
const MAX_EPOCH_S = Date.UTC(2100, 0, 1) / 1000;

/**
 * A row id, 1..MAX_INT, judged on its digits: as a number, zod's own bounds spoke first for an id
 * past the real limit ("must be at most 9007199254740991" past 2^53, "must be a number" past 1e308).
 */
const positiveId = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${what} must be a positive integer`)
    .transform((s, ctx) => {
      const digits = s.replace(/^0+(?=\d)/, "");
      const n = digits.length > String(MAX_INT).length ? Number.POSITIVE_INFINITY : Number(digits);
      if (n < 1 || n > MAX_INT) {
        ctx.addIssue({ code: "custom", message: n < 1 ? `${what} must be positive` : `${what} is too large (at most ${MAX_INT})` });
        return z.NEVER;
      }
      return n;
    });

const rating = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?$/, "rating must be a number")
  .transform(Number)
  .pipe(ratingValueSchema);

const epochSeconds = z
  .string()
  .trim()
  .regex(/^\d+$/, "timestamp must be whole epoch seconds")
  .transform(Number)
  .pipe(z.number().min(MIN_EPOCH_S, "timestamp is before 1990").max(MAX_EPOCH_S, "timestamp is after 2100"))
  .transform((s) => s * 1000);

/** YYYY-MM-DD names a day that exists (no 2020-02-31, no month 13). */
function isCalendarDate(ymd: string): boolean {
  const [y, m, d] = ymd.split("-").map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

/** Epoch seconds, epoch milliseconds (13 digits) or an ISO 8601 date/time. */
const flexibleTimestamp = z
  .string()
  .trim()
  .min(1, "timestamp is required")
  .transform((s, ctx) => {
    let ms: number;
    if (/^\d+$/.test(s)) ms = s.length >= 12 ? Number(s) : Number(s) * 1000;
    else if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s)) {
      // Date.parse rolls an impossible day over (2020-02-31 is 2 March): refuse it instead
      if (!isCalendarDate(s.slice(0, 10))) {
        ctx.addIssue({ code: "custom", message: `timestamp ${s.slice(0, 10)} is not a calendar date` });
        return z.NEVER;
      }
      ms = Date.parse(s);
    } else ms = Number.NaN;
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: "custom", message: "timestamp must be epoch seconds, epoch milliseconds or an ISO date" });
      return z.NEVER;
    }
    if (ms < MIN_EPOCH_S * 1000 || ms > MAX_EPOCH_S * 1000) {
      ctx.addIssue({ code: "custom", message: "timestamp is outside 1990–2100" });
      return z.NEVER;
    }
    return ms;
  });

const optional = <T extends z.ZodType<unknown, string>>(schema: T) =>
  z
    .string()
    .trim()
    .transform((s) => (s === "" ? undefined : s))
    .pipe(schema.optional());

export const movielensRowSchema = z
  .object({ user: positiveId("user id"), item: positiveId("movie id"), rating, timestamp: epochSeconds })
  .transform((r) => ({ user: String(r.user), item: r.item, rating: r.rating, watchSeconds: null, timestampMs: r.timestamp }));

export const genericRowSchema = z
  .object({
    user_id: z
      .string()
      .trim()
      .min(1, "user_id is required")
      .max(100, "user_id is longer than 100 characters")
      .regex(/^[^\s,]+$/, "user_id must not contain spaces or commas")
      // NUL, ESC, DEL, C1 …: invisible in a report, and ESC rewrites the terminal that shows one
      .regex(/^\P{Cc}+$/u, "user_id must not contain control characters"),
    tmdb_id: positiveId("tmdb_id"),
    rating: optional(rating),
    watch_seconds: optional(
      z
        .string()
        .regex(/^\d+$/, "watch_seconds must be a whole number of seconds")
        .transform(Number)
        .pipe(z.number().max(86_400, "watch_seconds is more than a day (milliseconds?)")),
    ),
    timestamp: flexibleTimestamp,
  })
  .transform((r) => ({
    user: r.user_id,
    item: r.tmdb_id,
    rating: r.rating ?? null,
    watchSeconds: r.watch_seconds ?? null,
    timestampMs: r.timestamp,
  }));

const GENERIC_COLUMNS = ["user_id", "tmdb_id", "rating", "watch_seconds", "timestamp"] as const;
const GENERIC_REQUIRED = ["user_id", "tmdb_id", "timestamp"] as const;
const ML_CSV_HEADER = "userid,movieid,rating,timestamp";

/** How to read the rest of a file once its format and first line are known. */
export type FormatReader = {
  format: ImportFormat;
  /** Whether line 1 is a header (not a data row). */
  hasHeader: boolean;
  parse(text: string): ParseResult;
};

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const field = issue.path.join(".");
  if (!field || issue.message.startsWith(field)) return issue.message;
  // the API's wording says what a field must be without naming it ("must be at most 5"): here the
  // column comes first, as in the reasons that name it themselves ("rating must be at most 5")
  return /^(must|is) /.test(issue.message) ? `${field} ${issue.message}` : `${field}: ${issue.message}`;
}

function normaliseHeader(line: string): string[] {
  return (splitCsvLine(line) ?? []).map((h) => h.trim().toLowerCase().replace(/^\uFEFF/, ""));
}

/** Guess the format from the first non-empty line, or null when it matches none. */
export function detectFormat(firstLine: string): ImportFormat | null {
  const header = normaliseHeader(firstLine).join(",");
  if (header === ML_CSV_HEADER) return "movielens-csv";
  const cols = normaliseHeader(firstLine);
  if (GENERIC_REQUIRED.every((c) => cols.includes(c)) && cols.every((c) => (GENERIC_COLUMNS as readonly string[]).includes(c))) return "generic";
  if (/^\s*\d+(\t|::)\d+(\t|::)[\d.]+(\t|::)\d+\s*$/.test(firstLine)) return "udata";
  return null;
}

/**
 * A reader for `format` given the file's first line. Throws a message (as an Error) when the first
 * line cannot start a file of that format, e.g. a CSV without its header.
 */
export function createFormatReader(format: ImportFormat, firstLine: string): FormatReader {
  if (format === "udata") {
    return {
      format,
      hasHeader: false,
      parse(text) {
        const fields = text.includes("\t") ? text.split("\t") : text.split("::");
        if (fields.length !== 4) return { ok: false, reason: `expected 4 tab-separated fields (user item rating timestamp), got ${fields.length}` };
        const r = movielensRowSchema.safeParse({ user: fields[0], item: fields[1], rating: fields[2], timestamp: fields[3] });
        return r.success ? { ok: true, row: r.data } : { ok: false, reason: firstIssue(r.error) };
      },
    };
  }
  if (format === "movielens-csv") {
    if (normaliseHeader(firstLine).join(",") !== ML_CSV_HEADER) {
      throw new Error(`expected the header "userId,movieId,rating,timestamp" on line 1, found "${firstLine.slice(0, 80)}"`);
    }
    return {
      format,
      hasHeader: true,
      parse(text) {
        const fields = splitCsvLine(text);
        if (!fields) return { ok: false, reason: "unterminated quote" };
        if (fields.length !== 4) return { ok: false, reason: `expected 4 comma-separated fields, got ${fields.length}` };
        const r = movielensRowSchema.safeParse({ user: fields[0], item: fields[1], rating: fields[2], timestamp: fields[3] });
        return r.success ? { ok: true, row: r.data } : { ok: false, reason: firstIssue(r.error) };
      },
    };
  }
  const cols = normaliseHeader(firstLine);
  // a second column of the same name would silently win over the first in every row
  const repeated = [...new Set(cols.filter((c, i) => cols.indexOf(c) !== i))];
  if (repeated.length > 0) throw new Error(`the header on line 1 names ${repeated.join(", ")} more than once`);
  const missing = GENERIC_REQUIRED.filter((c) => !cols.includes(c));
  const unknown = cols.filter((c) => !(GENERIC_COLUMNS as readonly string[]).includes(c));
  if (missing.length > 0 || unknown.length > 0) {
    const problems = [missing.length ? `missing ${missing.join(", ")}` : "", unknown.length ? `unknown ${unknown.join(", ")}` : ""].filter(Boolean);
    throw new Error(`expected the header "${GENERIC_COLUMNS.join(",")}" on line 1 (${problems.join("; ")})`);
  }
  return {
    format,
    hasHeader: true,
    parse(text) {
      const fields = splitCsvLine(text);
      if (!fields) return { ok: false, reason: "unterminated quote" };
      if (fields.length !== cols.length) return { ok: false, reason: `expected ${cols.length} comma-separated fields, got ${fields.length}` };
      const record: Record<string, string> = { rating: "", watch_seconds: "" };
      cols.forEach((c, i) => (record[c] = fields[i]));
      const r = genericRowSchema.safeParse(record);
      return r.success ? { ok: true, row: r.data } : { ok: false, reason: firstIssue(r.error) };
    },
  };
}

/** MovieLens links.csv: movieId → TMDB id (rows without a TMDB id are left out). */
export const linkRowSchema = z.object({ movieId: positiveId("movieId"), tmdbId: optional(positiveId("tmdbId")) });
export const LINKS_HEADER = "movieid,imdbid,tmdbid";

export function parseLinksHeader(firstLine: string): boolean {
  return normaliseHeader(firstLine).join(",") === LINKS_HEADER;
}

export function parseLinkLine(text: string): z.infer<typeof linkRowSchema> | { error: string } {
  const fields = splitCsvLine(text);
  if (!fields || fields.length !== 3) return { error: "expected 3 fields movieId,imdbId,tmdbId" };
  const r = linkRowSchema.safeParse({ movieId: fields[0], tmdbId: fields[2] });
  return r.success ? r.data : { error: firstIssue(r.error) };
}
