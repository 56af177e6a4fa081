// Import a real interaction log into the database in one transaction. Safe to re-run.
import { z } from "zod";
import { CliError, createProgress, parseCliArgs, runCli, type Progress } from "@/lib/cli";
import { getEnv } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { importInteractions, importOptionsSchema } from "@/lib/interactions/import";
import { formatDescriptions, importFormats } from "@/lib/interactions/import-formats";

const help = `usage: npm run import -- --file FILE [options]

Imports interactions from a log. The format is detected from the first line:
${importFormats.map((f) => `  ${f.padEnd(14)} ${formatDescriptions[f]}`).join("\n")}

Every row is validated before anything is written; bad rows are reported with their line number
and skipped. The write is one transaction: an aborted import leaves the database as it was.
Re-importing a file updates rows in place (users are keyed ml:<id> / csv:<id>).

  --file FILE          the log to import (required)
  --format F           auto (default) | ${importFormats.join(" | ")}
  --links FILE         MovieLens links.csv, maps MovieLens movie ids to TMDB ids
  --strict             abort on the first bad row (nothing is imported)
  --create-missing     add placeholder movies ("TMDB #123") for ids not in the catalog
                       (default: report and skip those rows)
  --namespace NAME     prefix for user ids instead of ml / csv, e.g. ml100k
  --dry-run            validate and report only; write nothing
  --json               print the summary as JSON on stdout
  -h, --help           this help

Exit codes: 0 imported, or checked with --dry-run (skipped rows are listed) · 1 nothing imported:
the file unreadable, no valid row, a bad row with --strict, or the write failed · 2 bad arguments
· 130 / 143 stopped by Ctrl-C / SIGTERM (nothing written: the write is one transaction).`;

const argsSchema = z.object({
  file: z.string({ error: "is required" }).min(1, "is required"),
  format: z.enum([...importFormats, "auto"]).default("auto"),
  links: z.string().min(1).optional(),
  strict: z.boolean().default(false),
  "create-missing": z.boolean().default(false),
  namespace: importOptionsSchema.shape.namespace, // a bad one is a bad flag (exit 2), not a failed import
  "dry-run": z.boolean().default(false),
  json: z.boolean().default(false),
});

runCli(async () => {
  const args = parseCliArgs(
    process.argv.slice(2),
    {
      file: { type: "string" },
      format: { type: "string" },
      links: { type: "string" },
      strict: { type: "boolean" },
      "create-missing": { type: "boolean" },
      namespace: { type: "string" },
      "dry-run": { type: "boolean" },
      json: { type: "boolean" },
    },
    argsSchema,
    help,
  );

  const bars: Partial<Record<"validate" | "write", { bar: Progress; done: number }>> = {};
  const summary = await importInteractions(
    {
      file: args.file,
      format: args.format,
      links: args.links,
      strict: args.strict,
      createMissing: args["create-missing"],
      namespace: args.namespace,
      dryRun: args["dry-run"],
    },
    {
      onProgress(phase, done, total) {
        // Small files finish in a blink: progress lines would only bury the summary.
        if (!bars[phase] && total < (phase === "validate" ? 1 << 20 : 10_000)) return;
        if (phase === "write") bars.validate?.bar.stop();
        const state = (bars[phase] ??= { bar: createProgress(phase === "validate" ? "import: validate (bytes)" : "import: write (rows)", total), done: 0 });
        state.bar.tick(done - state.done);
        state.done = done;
      },
    },
  ).catch((err: unknown) => {
    bars.validate?.bar.stop();
    bars.write?.bar.stop();
    if (err instanceof ApiError) throw new CliError(err.message, 1);
    throw err;
  });
  bars.validate?.bar.stop();
  bars.write?.bar.stop();

  if (args.json) {
    console.log(JSON.stringify(summary));
    return;
  }
  const s = summary;
  const out: string[] = [];
  out.push(`${s.dryRun ? "checked (dry run, nothing written)" : "imported"} ${s.file} as ${s.format} -> ${getEnv().DATABASE_PATH}`);
  if (s.links) out.push(`  links: ${s.links.file}: ${s.links.movies} movies, ${s.links.withoutTmdbId} without a TMDB id`);
  out.push(`  rows: ${s.dataRows} data rows on ${s.lines} lines; ${s.validRows} valid, ${s.badRows} bad`);
  for (const p of s.problems) out.push(`    line ${p.line}: ${p.reason}`);
  if (s.badRows > s.problems.length) out.push(`    ... and ${s.badRows - s.problems.length} more bad rows`);
  if (s.unmappedRows) out.push(`  no TMDB id in links: ${s.unmappedRows} rows, e.g. MovieLens ids ${s.unmappedSample.join(", ")} (skipped)`);
  if (s.missingMovies) {
    out.push(
      `  not in the catalog: ${s.missingMovies} movie(s), ${s.missingRows} row(s), e.g. TMDB ids ${s.missingSample.join(", ")} ` +
        (s.placeholdersCreated || args["create-missing"] ? `(${s.placeholdersCreated} placeholder movies created)` : "(skipped; --create-missing adds placeholders)"),
    );
  }
  if (!s.dryRun) {
    out.push(`  written: ${s.rowsWritten} rows -> ${s.interactions} interactions (${s.interactionsAdded} new, ${s.interactionsUpdated} updated, ${s.interactionsUnchanged} unchanged${s.interactionsSuperseded ? `, ${s.interactionsSuperseded} superseded within the file` : ""})`);
    out.push(`  users: ${s.users} (${s.usersCreated} new, ids ${s.namespace}:<id>)`);
  }
  for (const w of s.warnings) out.push(`  warning: ${w}`);
  out.push(`  ${s.jobId !== null ? `job #${s.jobId}, ` : ""}${(s.durationMs / 1000).toFixed(1)}s`);
  console.log(out.join("\n"));
});
