import fs from "node:fs";
import path from "node:path";
import type { AvailableLanguage, LanguageOption, PageOption, RegionOption } from "tmdb-ts";
import type { CatalogMovieInput } from "@/lib/catalog/schemas";
import { upsertGenres } from "@/lib/catalog/upsert";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { appendJobLog, createJob, failStaleJobs, finishJob, readCancelRequest, stoppedBy, updateJob } from "@/lib/jobs/queries";
import { formatCount, formatNumber } from "@/lib/util/format";
import { createTmdbClient, type RetryEvent, type TmdbClient } from "./client";
import { isTmdbError, TmdbError, type TmdbErrorKind } from "./errors";
import { parseGenreList, parsePopularPage, reshapeMovieDetails, type TmdbGenre } from "./reshape";
import { clearCompletedPages, listCompletedPages, saveCrawledPage } from "./store";

export type PageRange = { from: number; to: number };

export type CrawlOptions = {
  pages: PageRange;
  region: string;
  language: AvailableLanguage;
  /** Preferred poster language (ISO 639-1); by default the language's own (en for en-US). */
  imageLanguage?: string;
  intervalMs?: number;
  timeoutMs?: number;
  retries?: number;
  /** First retry delay; later ones double (see backoffDelay). */
  backoffBaseMs?: number;
  /** Ignore recorded progress for this crawl key and page range. */
  restart?: boolean;
  /** Write a JSON snapshot of what this run fetched. */
  outFile?: string;
  signal?: AbortSignal;
  onEvent?: (event: CrawlEvent) => void;
  /** Give up when this many pages in a row fail with transient errors (TMDB down, network gone). */
  maxConsecutiveFailures?: number;
  /** Record into this job row (the worker's, started from the admin) instead of a new one. */
  jobId?: number;
};

export type CrawlIssue = { kind: TmdbErrorKind; message: string; page?: number; movieId?: number };

export type PageOutcome = "done" | "partial" | "failed";

export type CrawlEvent =
  | { type: "plan"; jobId: number; crawlKey: string; todo: number[]; alreadyDone: number[] }
  | { type: "page"; page: number; outcome: PageOutcome; movies: number; added: number; updated: number }
  | { type: "issue"; issue: CrawlIssue }
  | { type: "retry"; retry: RetryEvent };

export type CrawlStats = {
  pagesRequested: number;
  pagesAlreadyDone: number;
  pagesDone: number;
  pagesFailed: number;
  moviesAdded: number;
  moviesUpdated: number;
  moviesSkipped: number;
  duplicates: number;
  genres: number;
  errors: number;
  requests: number;
  retries: number;
};

/**
 * A crawl job's outcome line: "12 pages, 1,204 new, 36 updated, 0 errors", plus the pages of the
 * range an earlier crawl had completed ("…; 2 already done"), which this run skipped. When it
 * skipped them all, it says so and how to fetch them again, rather than "0 pages, 0 new, …".
 */
export function crawlOutcome(
  s: Pick<CrawlStats, "pagesDone" | "pagesFailed" | "pagesAlreadyDone" | "moviesAdded" | "moviesUpdated" | "errors">,
  pages: PageRange,
): string {
  const fetched = `${formatCount(s.pagesDone, "page")}, ${formatNumber(s.moviesAdded)} new, ${formatNumber(s.moviesUpdated)} updated, ${formatCount(s.errors, "error")}`;
  if (s.pagesAlreadyDone === 0) return fetched;
  const requested = pages.to - pages.from + 1;
  if (s.pagesDone === 0 && s.pagesFailed === 0 && s.pagesAlreadyDone >= requested) {
    const which = requested === 1 ? `page ${pages.from} was` : `pages ${pages.from}-${pages.to} were`;
    const errors = s.errors > 0 ? ` (${formatCount(s.errors, "error")})` : "";
    return `nothing fetched: ${which} already done${errors}; start over (“Start over” in the admin, --restart on the command line) to fetch ${requested === 1 ? "it" : "them"} again`;
  }
  return `${fetched}; ${formatNumber(s.pagesAlreadyDone)} already done`;
}

export type CrawlSummary = {
  jobId: number;
  crawlKey: string;
  status: "succeeded" | "failed" | "cancelled";
  /** Why the job did not succeed. */
  error?: string;
  failedPages: number[];
  issues: CrawlIssue[];
  stats: CrawlStats;
  durationMs: number;
};

export type CrawlSnapshot = {
  crawlKey: string;
  params: { pages: PageRange; region: string; language: string; imageLanguage: string };
  startedAt: string;
  finishedAt: string;
  genres: TmdbGenre[];
  pages: { page: number; outcome: PageOutcome; movieIds: number[] }[];
  movies: CatalogMovieInput[];
  issues: CrawlIssue[];
};

const HEARTBEAT_MS = 10_000;

/** Resume state is kept per list, region and language: a ko-KR crawl never resumes an en-US one. */
export function crawlKeyOf(region: string, language: string): string {
  return `popular:${region}:${language}`;
}

/**
 * Crawl TMDB's popular movies over a page range, with full details for each movie, into the
 * catalog. Resumable (completed pages are skipped unless `restart`), idempotent (upserts by TMDB
 * id), tracked as a `crawl` job. Throws a TmdbError of kind `auth` for a missing or rejected key;
 * when that happens on the first request nothing has been written to the database.
 */
export async function crawlPopularMovies(options: CrawlOptions): Promise<CrawlSummary> {
  const started = Date.now();
  const env = getEnv();
  if (!env.TMDB_API_KEY) {
    throw new TmdbError(
      "auth",
      "TMDB_API_KEY is not set: set it to a TMDB v4 read access token (themoviedb.org → Settings → API) in the environment or a .env file; a running server needs a restart to see it",
    );
  }
  const { pages, region, language } = options;
  const imageLanguage = options.imageLanguage ?? language.slice(0, 2);
  const crawlKey = crawlKeyOf(region, language);
  const emit = options.onEvent ?? (() => {});
  const issues: CrawlIssue[] = [];
  const snapshot: CrawlSnapshot = {
    crawlKey,
    params: { pages, region, language, imageLanguage },
    startedAt: new Date(started).toISOString(),
    finishedAt: "",
    genres: [],
    pages: [],
    movies: [],
    issues,
  };
  const client = createTmdbClient({
    accessToken: env.TMDB_API_KEY,
    baseUrl: env.TMDB_BASE_URL,
    intervalMs: options.intervalMs,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    backoffBaseMs: options.backoffBaseMs,
    // asks details?append_to_response=images for posters in the image language (and language-less ones)
    query: { include_image_language: `${imageLanguage},null` },
    signal: options.signal,
    onRetry: (retry) => emit({ type: "retry", retry }),
  });

  // The first request doubles as the credentials check, before anything touches the database.
  try {
    snapshot.genres = parseGenreList(await client.tmdb.genres.movies({ language }));
  } catch (err) {
    if (!isTmdbError(err) || err.kind === "auth" || err.kind === "aborted") throw err;
    const issue: CrawlIssue = { kind: err.kind, message: about("genre list", err) };
    issues.push(issue);
    emit({ type: "issue", issue });
  }

  await failStaleJobs();
  const job =
    options.jobId !== undefined
      ? { id: options.jobId }
      : await createJob("crawl", {
          crawlKey,
          pages: `${pages.from}-${pages.to}`,
          region,
          language,
          imageLanguage,
          restart: Boolean(options.restart),
        });
  const heartbeat = setInterval(() => void updateJob(job.id, {}).catch(() => {}), HEARTBEAT_MS);
  heartbeat.unref();

  const stats: CrawlStats = {
    pagesRequested: pages.to - pages.from + 1,
    pagesAlreadyDone: 0,
    pagesDone: 0,
    pagesFailed: 0,
    moviesAdded: 0,
    moviesUpdated: 0,
    moviesSkipped: 0,
    duplicates: 0,
    genres: snapshot.genres.length,
    errors: 0,
    requests: 0,
    retries: 0,
  };
  const failedPages: number[] = [];
  const report = async (issue: CrawlIssue) => {
    issues.push(issue);
    stats.errors = issues.length;
    emit({ type: "issue", issue });
    await appendJobLog(job.id, `error: ${formatIssue(issue)}`);
  };
  const syncStats = () => {
    stats.requests = client.stats.requests;
    stats.retries = client.stats.retries;
    stats.errors = issues.length;
  };

  let status: CrawlSummary["status"] = "succeeded";
  let error: string | undefined;
  let fatal: unknown;
  try {
    for (const issue of issues) await appendJobLog(job.id, `error: ${formatIssue(issue)}`);
    stats.errors = issues.length;
    await upsertGenres(getDb(), snapshot.genres);

    if (options.restart) {
      const cleared = await clearCompletedPages(crawlKey, pages.from, pages.to);
      await appendJobLog(job.id, `restart: forgot ${cleared} completed pages of ${crawlKey}`);
    }
    const alreadyDone = new Set(await listCompletedPages(crawlKey, pages.from, pages.to));
    const todo: number[] = [];
    for (let p = pages.from; p <= pages.to; p++) if (!alreadyDone.has(p)) todo.push(p);
    stats.pagesAlreadyDone = alreadyDone.size;
    emit({ type: "plan", jobId: job.id, crawlKey, todo, alreadyDone: [...alreadyDone] });
    await appendJobLog(
      job.id,
      `${crawlKey} pages ${pages.from}-${pages.to}: ${todo.length} to fetch, ${alreadyDone.size} already done`,
    );
    await updateJob(job.id, { progress: 0, message: `0/${formatCount(todo.length, "page")}`, stats });

    const seen = new Set<number>(); // movies saved by this run: a movie that moves pages is fetched once
    let consecutiveFailures = 0;
    const maxConsecutive = options.maxConsecutiveFailures ?? 3;
    for (const page of todo) {
      // a signal (SIGTERM, Ctrl-C) here, or a cancel request from any app instance in the row
      if (options.signal?.aborted || (await readCancelRequest(job.id))) {
        status = "cancelled";
        break;
      }
      const result = await crawlPage(client, page, { language, region, imageLanguage, seen, report, signal: options.signal });
      if (result.cancelled) {
        status = "cancelled";
        break;
      }
      const saved = await saveCrawledPage({ crawlKey, page, jobId: job.id, movies: result.movies, complete: result.outcome === "done" });
      for (const m of result.movies) seen.add(m.id);
      snapshot.movies.push(...result.movies);
      snapshot.pages.push({ page, outcome: result.outcome, movieIds: result.movies.map((m) => m.id) });
      stats.moviesAdded += saved.added;
      stats.moviesUpdated += saved.updated;
      stats.moviesSkipped += result.skipped;
      stats.duplicates += result.duplicates;
      if (result.outcome === "done") {
        stats.pagesDone++;
        consecutiveFailures = 0;
      } else {
        stats.pagesFailed++;
        failedPages.push(page);
        consecutiveFailures = result.transientFailure ? consecutiveFailures + 1 : 0;
      }
      syncStats();
      emit({ type: "page", page, outcome: result.outcome, movies: result.movies.length, ...saved });
      await appendJobLog(job.id, `page ${page}: ${result.outcome}, ${result.movies.length} movies (${saved.added} new, ${saved.updated} updated)`);
      // Progress is the pages completed (as the CLI's bar counts them): failed pages are still to do.
      await updateJob(job.id, {
        progress: stats.pagesDone / todo.length,
        message: `${formatNumber(stats.pagesDone)}/${formatCount(todo.length, "page")}${stats.pagesFailed ? `, ${formatNumber(stats.pagesFailed)} failed` : ""}`,
        stats,
      });
      if (consecutiveFailures >= maxConsecutive) {
        status = "failed";
        const inRow = failedPages.slice(-consecutiveFailures);
        // the page's own failure (its list request), not a movie of it skipped before
        const onPages = issues.filter((i) => i.page !== undefined && inRow.includes(i.page));
        const cause = onPages.find((i) => i.movieId === undefined) ?? onPages[0];
        error =
          `gave up after ${consecutiveFailures} pages in a row failed (pages ${inRow.join(", ")}` +
          `${cause ? `; first error: ${formatIssue(cause)}` : ""}); is TMDB reachable? Re-run to resume`;
        break;
      }
    }
    if (status === "succeeded" && failedPages.length > 0) {
      status = "failed";
      // the first problem says why (TMDB unreachable, a bad key, …) without opening the log
      const cause = issues.find((i) => i.page !== undefined && failedPages.includes(i.page)) ?? issues[0];
      error =
        `${failedPages.length === 1 ? "page" : "pages"} ${failedPages.join(", ")} not completed` +
        `${cause ? `; first error: ${formatIssue(cause)}` : ""}; re-run to retry ${failedPages.length === 1 ? "it" : "them"}`;
    }
  } catch (err) {
    fatal = err;
    status = "failed";
    error = isTmdbError(err) ? err.message : `unexpected: ${(err as Error)?.message ?? String(err)}`;
  }
  clearInterval(heartbeat);
  syncStats();
  if (status === "cancelled") error = `cancelled by ${await stoppedBy(job.id, options.signal)}`;
  const message = crawlOutcome(stats, pages);
  await finishJob(job.id, { status, error, stats, message });
  writeSnapshot(options.outFile, snapshot);
  if (fatal) throw fatal;
  return { jobId: job.id, crawlKey, status, error, failedPages, issues, stats, durationMs: Date.now() - started };
}

type PageResult = {
  outcome: PageOutcome;
  movies: CatalogMovieInput[];
  skipped: number;
  duplicates: number;
  /** The page stopped on a 429/5xx/network/timeout failure that outlived its retries. */
  transientFailure: boolean;
  cancelled: boolean;
};

/**
 * One popular page and the details of each movie on it. Bad details (malformed, 404) skip that
 * movie for good; a transient failure stops the page so that it is fetched again next run.
 * Auth and unexpected errors propagate.
 */
async function crawlPage(
  client: TmdbClient,
  page: number,
  ctx: {
    language: AvailableLanguage;
    region: string;
    imageLanguage: string;
    seen: Set<number>;
    report: (issue: CrawlIssue) => Promise<void>;
    signal?: AbortSignal;
  },
): Promise<PageResult> {
  const result: PageResult = { outcome: "done", movies: [], skipped: 0, duplicates: 0, transientFailure: false, cancelled: false };
  let ids: number[];
  try {
    // tmdb-ts types `popular` without `region`, but TMDB honours it and tmdb-ts forwards every option.
    const query: LanguageOption & PageOption & RegionOption = { page, language: ctx.language, region: ctx.region };
    ids = parsePopularPage(await client.tmdb.movies.popular(query), page).results.map((m) => m.id);
  } catch (err) {
    if (!isTmdbError(err) || err.kind === "auth") throw err;
    if (err.kind === "aborted") return { ...result, outcome: "failed", cancelled: true };
    await ctx.report({ kind: err.kind, page, message: about(`popular page ${page}`, err) });
    return { ...result, outcome: "failed", transientFailure: err.transient };
  }
  for (const id of ids) {
    if (ctx.seen.has(id)) {
      result.duplicates++;
      continue;
    }
    if (ctx.signal?.aborted) return { ...result, outcome: "partial", cancelled: true };
    try {
      const raw = await client.tmdb.movies.details(id, ["images"], ctx.language);
      result.movies.push(reshapeMovieDetails(raw, { imageLanguage: ctx.imageLanguage }));
    } catch (err) {
      if (!isTmdbError(err) || err.kind === "auth") throw err;
      if (err.kind === "aborted") return { ...result, outcome: "partial", cancelled: true };
      await ctx.report({ kind: err.kind, page, movieId: id, message: about(`movie ${id}`, err) });
      if (err.transient) return { ...result, outcome: "partial", transientFailure: true };
      result.skipped++;
    }
  }
  return result;
}

/**
 * "subject: what went wrong". Parse errors (lib/tmdb/reshape.ts) already start with what they
 * parsed ("popular page 2: unexpected shape ..."); HTTP and network errors do not.
 */
function about(subject: string, err: TmdbError): string {
  return err.message.startsWith(`${subject}: `) ? err.message : `${subject}: ${err.message}`;
}

function formatIssue(issue: CrawlIssue): string {
  return `[${issue.kind}] ${issue.message}`;
}

function writeSnapshot(file: string | undefined, snapshot: CrawlSnapshot): void {
  if (!file) return;
  snapshot.finishedAt = new Date().toISOString();
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(snapshot, null, 2)}\n`);
  fs.renameSync(tmp, target);
}
