// npm run crawl — TMDB popular movies (with details and genres) into the catalog; safe to re-run,
// resumes where a killed run stopped.
import { AvailableLanguages } from "tmdb-ts";
import { z } from "zod";
import { checkOutputFile, CliError, createProgress, decimalArg, intArg, parseCliArgs, runCli, type Progress } from "@/lib/cli";
import { crawlPopularMovies, type CrawlEvent, type CrawlSummary } from "@/lib/tmdb/crawl";
import { isTmdbError } from "@/lib/tmdb/errors";

const HELP = `Usage: npm run crawl -- [options]

Fetch TMDB's popular movies page by page, then each movie's details (genres, runtime, poster...),
and upsert them into the catalog. Completed pages are remembered per region+language, so a re-run
continues from the first incomplete page.

Options:
  --pages A-B             page range, 1-500 (or a single page N)        [default: 1-50]
  --region CC             ISO 3166-1 region for the popular list        [default: KR]
  --language xx-YY        TMDB language for titles and genres           [default: ko-KR]
  --image-language xx     preferred poster language (ISO 639-1)         [default: the language's]
  --interval SECONDS      minimum time between two requests             [default: 0.4]
  --timeout SECONDS       per-request timeout                           [default: 10]
  --retries N             retries on 429 / 5xx / network errors / timeouts [default: 4]
  --restart               forget completed pages in the range and start over
  --out FILE.json         write a JSON snapshot of what this run fetched
  -h, --help              show this help

Environment:
  TMDB_API_KEY            TMDB v4 read access token (required)
  TMDB_BASE_URL           API root replacing https://api.themoviedb.org/3
  DATABASE_PATH           SQLite file                                   [default: data/matinee.db]

Exit codes: 0 all pages done · 1 some pages failed (re-run to retry) · 2 bad arguments or
missing/rejected TMDB key · 130 / 143 stopped by Ctrl-C / SIGTERM (re-run to resume).`;

const pageRangeSchema = z
  .string()
  .regex(/^\d+(-\d+)?$/, "expected A-B or N, e.g. 1-50")
  .transform((s) => {
    const [from, to = from] = s.split("-").map(Number);
    return { from, to };
  })
  .refine((r) => r.from >= 1 && r.to <= 500 && r.from <= r.to, "pages must satisfy 1 <= A <= B <= 500 (TMDB's limit)");

const argsSchema = z.object({
  pages: pageRangeSchema.default({ from: 1, to: 50 }),
  region: z.string().regex(/^[A-Z]{2}$/, "expected a two-letter uppercase region, e.g. KR").default("KR"),
  language: z.enum(AvailableLanguages, "expected a TMDB language such as ko-KR or en-US").default("ko-KR"),
  "image-language": z.string().regex(/^[a-z]{2}$/, "expected a two-letter language, e.g. ko").optional(),
  interval: decimalArg(0, 60).default(0.4),
  timeout: decimalArg(0.001, 300).default(10),
  retries: intArg(0, 10).default(4),
  restart: z.boolean().default(false),
  out: z.string().regex(/\.json$/i, "expected a .json file").optional(),
});

const argOptions = {
  pages: { type: "string" },
  region: { type: "string" },
  language: { type: "string" },
  "image-language": { type: "string" },
  interval: { type: "string" },
  timeout: { type: "string" },
  retries: { type: "string" },
  restart: { type: "boolean" },
  out: { type: "string" },
} as const;

runCli(async () => {
  const args = parseCliArgs(process.argv.slice(2), argOptions, argsSchema, HELP);
  // The snapshot is written after the whole crawl: find out now that it cannot be.
  if (args.out) checkOutputFile("--out", args.out);
  const controller = new AbortController();
  // exit 130 for Ctrl-C, 143 for SIGTERM, as every other script (128 + the signal's number)
  let stoppedBy: NodeJS.Signals = "SIGINT";
  const interrupt = (signal: NodeJS.Signals) => {
    stoppedBy = signal;
    process.stderr.write(signal === "SIGINT" ? "\ninterrupted: finishing the current step (Ctrl-C again to kill)\n" : `\n${signal}: finishing the current step\n`);
    controller.abort(signal === "SIGINT" ? "Ctrl-C" : signal);
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  const stopCode = () => (stoppedBy === "SIGTERM" ? 143 : 130);

  let progress: Progress | undefined;
  const onEvent = (event: CrawlEvent) => {
    if (event.type === "plan") {
      const done = event.alreadyDone.length;
      process.stderr.write(
        `crawl ${event.crawlKey} (job #${event.jobId}): ${plural(event.todo.length, "page")} to fetch` +
          (done ? `, ${done} already done (--restart to refetch)` : "") +
          "\n",
      );
      progress = createProgress("pages", event.todo.length);
    } else if (event.type === "page") {
      // counts completed pages, like the job's progress on the admin page: a failed one is still to do
      progress?.tick(event.outcome === "done" ? 1 : 0, `page ${event.page}: ${event.outcome}, +${event.added} new, ${event.updated} updated`);
    } else if (event.type === "issue") {
      process.stderr.write(`warn: ${event.issue.message}\n`);
    } else {
      const { retry } = event;
      process.stderr.write(`retry ${retry.attempt} in ${(retry.delayMs / 1000).toFixed(1)}s: ${retry.path} (${retry.reason})\n`);
    }
  };

  let summary: CrawlSummary;
  try {
    summary = await crawlPopularMovies({
      pages: args.pages,
      region: args.region,
      language: args.language,
      imageLanguage: args["image-language"],
      intervalMs: Math.round(args.interval * 1000),
      timeoutMs: Math.round(args.timeout * 1000),
      retries: args.retries,
      restart: args.restart,
      outFile: args.out,
      signal: controller.signal,
      onEvent,
    });
  } catch (err) {
    if (isTmdbError(err, "auth")) throw new CliError(err.message, 2);
    if (isTmdbError(err, "aborted")) throw new CliError("interrupted before the crawl started", stopCode());
    throw err;
  } finally {
    progress?.stop();
  }

  const s = summary.stats;
  const secs = (summary.durationMs / 1000).toFixed(1);
  console.log(
    `crawl ${summary.crawlKey} job #${summary.jobId} ${summary.status} in ${secs}s: ` +
      `pages ${s.pagesDone} done, ${s.pagesAlreadyDone} already done, ${s.pagesFailed} failed; ` +
      `movies ${s.moviesAdded} new, ${s.moviesUpdated} updated, ${s.moviesSkipped} skipped; ` +
      `${s.genres} genres; ${s.requests} requests, ${s.retries} retries, ${s.errors} errors`,
  );
  if (args.out) console.log(`snapshot: ${args.out}`);
  if (summary.status === "cancelled") throw new CliError("interrupted: re-run the same command to resume", stopCode());
  if (summary.status === "failed") throw new CliError(summary.error ?? "crawl failed", 1);
});

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
