// Simulate users with planted tastes and write their watches and ratings. Safe to re-run.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { CliError, createProgress, parseCliArgs, runCli } from "@/lib/cli";
import { getEnv } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { renderSimulationPlot } from "@/lib/simulate/plot";
import { runSimulation } from "@/lib/simulate/run";

const help = `usage: npm run simulate -- [options]

Generates users with hidden tastes (genre likes, favourite neighbourhoods of the catalog) and their
watch + rating history over the movies in the database. Deterministic for a seed; re-running
updates the same users (sim:1, sim:2, ...) instead of adding new ones.

  --users N          simulated users (default 1000)
  --max-per-user N   most movies one user watches (default 20)
  --seed N           random seed (default 42)
  --clusters N       neighbourhoods the catalog is carved into (default 24)
  --plot FILE.svg    also write a chart: rating vs watch time, item popularity long tail
  --json             print the summary as JSON on stdout
  -h, --help         this help`;

const argsSchema = z.object({
  users: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  "max-per-user": z.coerce.number().int().min(1).max(1000).default(20),
  seed: z.coerce.number().int().min(0).max(0xffffffff).default(42),
  clusters: z.coerce.number().int().min(1).max(500).default(24),
  plot: z.string().regex(/\.svg$/i, "must be a .svg file").optional(),
  json: z.boolean().default(false),
});

runCli(async () => {
  const args = parseCliArgs(
    process.argv.slice(2),
    {
      users: { type: "string" },
      "max-per-user": { type: "string" },
      seed: { type: "string" },
      clusters: { type: "string" },
      plot: { type: "string" },
      json: { type: "boolean" },
    },
    argsSchema,
    help,
  );
  const progress = createProgress("simulate", args.users);
  let reported = 0;
  const result = await runSimulation(
    { users: args.users, maxPerUser: args["max-per-user"], seed: args.seed, clusters: args.clusters },
    {
      collectPlot: Boolean(args.plot),
      onProgress: (done) => {
        progress.tick(done - reported);
        reported = done;
      },
    },
  ).catch((err: unknown) => {
    if (err instanceof ApiError) throw new CliError(err.message, 1);
    throw err;
  });
  progress.stop();

  if (args.plot && result.plot) {
    fs.mkdirSync(path.dirname(path.resolve(args.plot)), { recursive: true });
    fs.writeFileSync(args.plot, renderSimulationPlot(result.plot));
  }
  const { plot: _plot, ...summary } = result;
  if (args.json) {
    console.log(JSON.stringify(summary));
    return;
  }
  const secs = (summary.durationMs / 1000).toFixed(1);
  console.log(`simulated ${summary.users} users (${summary.usersCreated} new) over ${summary.catalogMovies} movies in ${secs}s -> ${getEnv().DATABASE_PATH}`);
  console.log(`  ${summary.watches} watches, ${summary.ratings} ratings, ${summary.distinctMovies} distinct movies`);
  console.log(
    `  interactions: ${summary.interactionsAdded} added, ${summary.interactionsUpdated} updated, ${summary.interactionsUnchanged} unchanged, ${summary.interactionsRemoved} removed`,
  );
  if (args.plot) console.log(`  plot: ${args.plot}`);
  console.log(`  job #${summary.jobId}`);
});
