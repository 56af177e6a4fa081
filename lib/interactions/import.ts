// Import real interaction logs (MovieLens u.data / ratings.csv, or a generic CSV) in two passes:
// 1. validate every row and look the items up in the catalog, writing nothing;
// 2. write everything in ONE transaction.
// A strict failure, a crash or a SIGKILL therefore leaves users, interactions and movies as they
// were (the job row records the attempt), and re-importing a file updates rows in place.
import fs from "node:fs";
import { z } from "zod";
import { getDb, transaction } from "@/lib/db";
import { ApiError } from "@/lib/http/errors";
import { createJob, failStaleJobs, finishJob, readCancelRequest, updateJob } from "@/lib/jobs/queries";
import { formatCount, formatNumber } from "@/lib/util/format";
import { readLines } from "./import-file";
import {
  createFormatReader,
  detectFormat,
  formatDescriptions,
  importFormats,
  parseLinkLine,
  parseLinksHeader,
  type ImportFormat,
  type ImportRow,
  type ParseResult,
} from "./import-formats";
import { createPlaceholderMovies, listExistingMovieIds } from "@/lib/catalog/placeholders";
import { countInteractionsIn, ensureUsers, upsertInteractions, type UpsertInteractionRow } from "./queries";

/**
 * An admin asked to stop the import's job (from any app instance: the job row's cancel request;
 * lib/jobs/queries.ts). Nothing was imported: the write transaction is rolled back.
 */
export class ImportCancelledError extends Error {
  constructor(public readonly by: string) {
    super(`cancelled by ${by}; nothing was imported`);
    this.name = "ImportCancelledError";
  }
}

/** Throws ImportCancelledError when someone asked to stop the job. */
async function stopIfAsked(jobId: number | null): Promise<void> {
  if (jobId === null) return;
  const request = await readCancelRequest(jobId);
  if (request) throw new ImportCancelledError(request.by);
}

export const importOptionsSchema = z.object({
  file: z.string().min(1),
  format: z.enum([...importFormats, "auto"]).default("auto"),
  /** MovieLens links.csv, to map MovieLens movie ids to TMDB ids. */
  links: z.string().min(1).optional(),
  /** Abort on the first bad row instead of skipping it. */
  strict: z.boolean().default(false),
  /** Add placeholder movies for TMDB ids the catalog lacks instead of skipping their rows. */
  createMissing: z.boolean().default(false),
  /** Prefix of users' external ids: `ml:<id>` / `csv:<id>` unless given. */
  namespace: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/i, "must be 1 to 32 letters, digits, - or _, starting with a letter or digit")
    .optional(),
  /** Validate and report, write nothing (no job either). */
  dryRun: z.boolean().default(false),
});

export type ImportOptionsInput = z.input<typeof importOptionsSchema>;
export type ImportProblem = { line: number; reason: string };

export type ImportSummary = {
  jobId: number | null;
  file: string;
  format: ImportFormat;
  namespace: string;
  dryRun: boolean;
  lines: number;
  dataRows: number;
  validRows: number;
  badRows: number;
  /** The first bad rows, with their line numbers. */
  problems: ImportProblem[];
  links: { file: string; movies: number; withoutTmdbId: number; badLines: number } | null;
  unmappedRows: number;
  unmappedSample: number[];
  missingMovies: number;
  missingRows: number;
  missingSample: number[];
  placeholdersCreated: number;
  rowsWritten: number;
  users: number;
  usersCreated: number;
  interactions: number;
  interactionsAdded: number;
  interactionsUpdated: number;
  interactionsUnchanged: number;
  /**
   * Rows another row of the same write batch and key replaced before writing: the newest, of equally
   * new ones the last. A batch holds whole runs of one user's rows (up to MAX_BATCH rows).
   */
  interactionsSuperseded: number;
  warnings: string[];
  durationMs: number;
};

export type ImportHooks = { onProgress?: (phase: "validate" | "write", done: number, total: number) => void | Promise<void> };

const MAX_PROBLEMS = 20;
const SAMPLE_IDS = 10;
const WRITE_BATCH = 5000;
/** A batch grows past WRITE_BATCH only to keep one user's rows together, up to this. */
const MAX_BATCH = 20 * WRITE_BATCH;

type LogRow = { line: number; bytesRead: number; result: ParseResult };

/** Detect (or check) the format from the first non-blank line, then parse rows lazily. */
function openLog(file: string, requested: ImportFormat | "auto"): { format: ImportFormat; lines: () => number; rows: Generator<LogRow> } {
  const source = readLines(file);
  let first = source.next();
  while (!first.done && first.value.text.trim() === "") first = source.next();
  if (first.done) throw new ApiError("unprocessable", `${file}: has no data (only blank lines)`);
  const firstLine = first.value;
  let reader;
  try {
    const format = requested === "auto" ? detectFormat(firstLine.text) : requested;
    if (!format) {
      throw new ApiError(
        "unprocessable",
        `${file}: unrecognised format; line ${firstLine.line} is "${firstLine.text.slice(0, 80)}". Expected one of:\n` +
          importFormats.map((f) => `  ${f}: ${formatDescriptions[f]}`).join("\n") +
          "\nor pass --format",
      );
    }
    reader = createFormatReader(format, firstLine.text);
  } catch (err) {
    source.return(undefined); // closes the file
    throw err instanceof ApiError ? err : new ApiError("unprocessable", `${file}: ${(err as Error).message}`);
  }
  const format = reader.format;
  let lastLine = firstLine.line;
  const parse = reader.parse;
  const hasHeader = reader.hasHeader;
  function* rows(): Generator<LogRow> {
    if (!hasHeader) yield { line: firstLine.line, bytesRead: firstLine.bytesRead, result: parse(firstLine.text) };
    for (const l of source) {
      lastLine = l.line;
      if (l.text.trim() === "") continue;
      yield { line: l.line, bytesRead: l.bytesRead, result: parse(l.text) };
    }
  }
  return { format, lines: () => lastLine, rows: rows() };
}

function loadLinks(file: string): { map: Map<number, number>; movies: number; withoutTmdbId: number; badLines: number } {
  const map = new Map<number, number>();
  let movies = 0;
  let withoutTmdbId = 0;
  let badLines = 0;
  let header = true;
  for (const { text } of readLines(file)) {
    if (header) {
      if (!parseLinksHeader(text)) throw new ApiError("unprocessable", `${file}: expected the links.csv header "movieId,imdbId,tmdbId" on line 1`);
      header = false;
      continue;
    }
    if (text.trim() === "") continue;
    const link = parseLinkLine(text);
    if ("error" in link) {
      badLines++;
      continue;
    }
    movies++;
    if (link.tmdbId === undefined) withoutTmdbId++;
    else map.set(link.movieId, link.tmdbId);
  }
  if (movies === 0) throw new ApiError("unprocessable", `${file}: no links in the file`);
  return { map, movies, withoutTmdbId, badLines };
}

/** The interactions one row stands for: a rating, a watch, both, or a bare "watched" signal. */
function interactionsOf(row: ImportRow): Pick<UpsertInteractionRow, "kind" | "value" | "watchSeconds">[] {
  const out: Pick<UpsertInteractionRow, "kind" | "value" | "watchSeconds">[] = [];
  if (row.rating !== null) out.push({ kind: "rating", value: row.rating, watchSeconds: null });
  if (row.watchSeconds !== null || row.rating === null) out.push({ kind: "watch", value: null, watchSeconds: row.watchSeconds });
  return out;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function sample(ids: Iterable<number>): number[] {
  return [...ids].sort((a, b) => a - b).slice(0, SAMPLE_IDS);
}

export async function importInteractions(input: ImportOptionsInput, hooks: ImportHooks = {}): Promise<ImportSummary> {
  const parsed = importOptionsSchema.safeParse(input);
  if (!parsed.success) throw new ApiError("bad_request", `invalid import options: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const opts = parsed.data;
  // an interrupted import's job still says `running` until this (as a crawl or training run sweeps)
  if (!opts.dryRun) await failStaleJobs();
  const job = opts.dryRun ? null : await createJob("import", { ...opts });
  try {
    const summary = await runImport(opts, job?.id ?? null, hooks);
    if (job) {
      const { problems: _p, ...stats } = summary;
      await finishJob(job.id, {
        status: "succeeded",
        stats: { ...stats, firstProblems: summary.problems.slice(0, 5) },
        message: `${formatCount(summary.rowsWritten, "row")}, ${formatNumber(summary.badRows)} bad, ${formatNumber(summary.missingRows)} not in catalog`,
      });
    }
    return summary;
  } catch (err) {
    if (job && err instanceof ImportCancelledError) await finishJob(job.id, { status: "cancelled", error: `cancelled by ${err.by}`, message: "nothing was imported" });
    else if (job) await finishJob(job.id, { status: "failed", error: (err as Error).message });
    throw err;
  }
}

async function runImport(opts: z.output<typeof importOptionsSchema>, jobId: number | null, hooks: ImportHooks): Promise<ImportSummary> {
  const started = Date.now();
  const db = getDb();
  const warnings: string[] = [];
  const links = opts.links ? loadLinks(opts.links) : null;
  if (links?.badLines) warnings.push(`${opts.links}: ${links.badLines} malformed lines ignored`);

  // Pass 1: validate everything, write nothing.
  const stat = fs.statSync(opts.file, { throwIfNoEntry: false });
  if (stat && !stat.isFile()) throw new ApiError("unprocessable", `${opts.file}: must be a regular file (it is read twice: to validate, then to write)`);
  const log = openLog(opts.file, opts.format);
  const isMovieLens = log.format !== "generic";
  if (links && !isMovieLens) warnings.push("--links is ignored: the generic format already has TMDB ids");
  if (isMovieLens && !links) warnings.push("no --links given: MovieLens item ids are taken to be TMDB ids");
  const mapItem = (item: number): number | undefined => (links && isMovieLens ? links.map.get(item) : item);
  const namespace = opts.namespace ?? (isMovieLens ? "ml" : "csv");
  const fileBytes = Math.max(1, stat?.size ?? 1);

  let dataRows = 0;
  let validRows = 0;
  let badRows = 0;
  let unmappedRows = 0;
  const problems: ImportProblem[] = [];
  const unmapped = new Set<number>();
  const rowsPerMovie = new Map<number, number>();
  let lastReport = 0;
  for (const { line, bytesRead, result } of log.rows) {
    dataRows++;
    if (!result.ok) {
      badRows++;
      if (opts.strict) throw new ApiError("unprocessable", `${opts.file} line ${line}: ${result.reason} (--strict: nothing was imported)`);
      if (problems.length < MAX_PROBLEMS) problems.push({ line, reason: result.reason });
      continue;
    }
    validRows++;
    const tmdbId = mapItem(result.row.item);
    if (tmdbId === undefined) {
      unmappedRows++;
      unmapped.add(result.row.item);
      continue;
    }
    rowsPerMovie.set(tmdbId, (rowsPerMovie.get(tmdbId) ?? 0) + 1);
    if (dataRows - lastReport >= 20_000) {
      lastReport = dataRows;
      await hooks.onProgress?.("validate", bytesRead, fileBytes);
      if (jobId !== null) await updateJob(jobId, { progress: 0.5 * (bytesRead / fileBytes), message: `validated ${formatCount(dataRows, "row")}` });
      await stopIfAsked(jobId);
    }
  }
  await hooks.onProgress?.("validate", fileBytes, fileBytes);
  const lines = log.lines();
  if (dataRows === 0) throw new ApiError("unprocessable", `${opts.file}: has a header but no data rows`);
  if (validRows === 0) {
    const first = problems[0];
    throw new ApiError("unprocessable", `${opts.file}: no valid rows (${badRows} bad; line ${first.line}: ${first.reason}); nothing was imported`);
  }

  const existing = await listExistingMovieIds(db, rowsPerMovie.keys());
  const missing = [...rowsPerMovie.keys()].filter((id) => !existing.has(id));
  const missingRows = missing.reduce((n, id) => n + (rowsPerMovie.get(id) ?? 0), 0);
  const rowsToWrite = validRows - unmappedRows - (opts.createMissing ? 0 : missingRows);
  const base = {
    jobId,
    file: opts.file,
    format: log.format,
    namespace,
    dryRun: opts.dryRun,
    lines,
    dataRows,
    validRows,
    badRows,
    problems,
    links: links && isMovieLens ? { file: opts.links!, movies: links.movies, withoutTmdbId: links.withoutTmdbId, badLines: links.badLines } : null,
    unmappedRows,
    unmappedSample: sample(unmapped),
    missingMovies: missing.length,
    missingRows,
    missingSample: sample(missing),
    warnings,
  };
  if (rowsToWrite === 0) {
    const why = [
      unmappedRows ? `${plural(unmappedRows, "row")} with no TMDB id in ${opts.links}` : "",
      missingRows ? `${plural(missingRows, "row")} for ${plural(missing.length, "movie")} not in the catalog (e.g. ${base.missingSample.join(", ")}); --create-missing adds placeholders${isMovieLens && !links ? ", --links maps MovieLens ids" : ""}` : "",
    ].filter(Boolean);
    throw new ApiError("unprocessable", `${opts.file}: nothing to import: ${why.join("; ")}`);
  }
  const empty = {
    placeholdersCreated: 0,
    rowsWritten: 0,
    users: 0,
    usersCreated: 0,
    interactions: 0,
    interactionsAdded: 0,
    interactionsUpdated: 0,
    interactionsUnchanged: 0,
    interactionsSuperseded: 0,
  };
  if (opts.dryRun) return { ...base, ...empty, durationMs: Date.now() - started };
  if (jobId !== null) await updateJob(jobId, { progress: 0.5, message: `writing ${formatCount(rowsToWrite, "row")}` });
  await stopIfAsked(jobId);

  // Pass 2: one transaction for everything. The job row cannot be updated meanwhile (SQLite has
  // one writer), so progress goes to the hook only.
  const missingSet = new Set(missing);
  const written = await transaction(async (tx) => {
      const before = await countInteractionsIn(tx);
      const placeholdersCreated = opts.createMissing ? await createPlaceholderMovies(tx, missing) : 0;
      const userIds = new Map<string, number>();
      let usersCreated = 0;
      let rowsWritten = 0;
      let attempted = 0;
      let superseded = 0;
      let changed = 0;
      let pending: { externalId: string; tmdbId: number; row: ImportRow }[] = [];
      const flush = async () => {
        const fresh = [...new Set(pending.map((p) => p.externalId))].filter((e) => !userIds.has(e));
        if (fresh.length > 0) {
          const res = await ensureUsers(tx, fresh.map((externalId) => ({ externalId, source: "imported" as const })));
          usersCreated += res.created;
          for (const [e, id] of res.ids) userIds.set(e, id);
        }
        // One row per key, the one writing them in order would leave: the newest, of equally new
        // ones the last. Written one by one, two equally old rows with different values would
        // each replace the other on every re-import of the file (and take a new id each time).
        const rows = new Map<string, UpsertInteractionRow>();
        for (const p of pending) {
          for (const i of interactionsOf(p.row)) {
            const row: UpsertInteractionRow = { ...i, userId: userIds.get(p.externalId)!, movieId: p.tmdbId, source: "imported", createdAt: p.row.timestampMs };
            const key = `${row.userId}:${row.movieId}:${row.kind}`;
            const kept = rows.get(key);
            attempted++;
            if (kept !== undefined) superseded++;
            if (kept === undefined || row.createdAt >= kept.createdAt) rows.set(key, row);
          }
        }
        changed += await upsertInteractions(tx, rows.values());
        rowsWritten += pending.length;
        pending = [];
        await hooks.onProgress?.("write", rowsWritten, rowsToWrite);
        // asked to stop (from any instance): roll everything back. The request is read outside
        // this transaction on PostgreSQL; on SQLite no other process can write it meanwhile (the
        // import holds the write lock), so only one made in this process is seen there.
        await stopIfAsked(jobId);
      };
      for (const { result } of openLog(opts.file, log.format).rows) {
        if (!result.ok) continue;
        const tmdbId = mapItem(result.row.item);
        if (tmdbId === undefined || (!opts.createMissing && missingSet.has(tmdbId))) continue;
        const externalId = `${namespace}:${result.row.user}`;
        // a full batch ends between two users' rows, so a file sorted by user (MovieLens's are)
        // has each user's rows reduced together; one user's run of rows is cut only at MAX_BATCH
        const last = pending[pending.length - 1];
        if (pending.length >= MAX_BATCH || (pending.length >= WRITE_BATCH && last.externalId !== externalId)) await flush();
        pending.push({ externalId, tmdbId, row: result.row });
      }
      await flush();
      if (rowsWritten !== rowsToWrite) {
        throw new ApiError("conflict", `${opts.file} changed during the import (${rowsWritten} rows now, ${rowsToWrite} validated); nothing was imported`);
      }
      const added = (await countInteractionsIn(tx)) - before;
      return {
        placeholdersCreated,
        rowsWritten,
        users: userIds.size,
        usersCreated,
        interactions: attempted,
        interactionsAdded: added,
        interactionsUpdated: changed - added,
        interactionsUnchanged: attempted - superseded - changed,
        interactionsSuperseded: superseded,
      };
  }, db);
  return { ...base, ...written, durationMs: Date.now() - started };
}
