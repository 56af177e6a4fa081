// Simulate users with planted tastes and write their watches and ratings. Safe to re-run.
import fs from "node:fs";
import { z } from "zod";
import { checkOutputFile, CliError, createProgress, flagsGiven, intArg, MAX_ID, parseCliArgs, refuseFlagsOutside, runCli } from "@/lib/cli";
import { getEnv } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { renderSimulationPlot } from "@/lib/simulate/plot";
import { runSimulation } from "@/lib/simulate/run";
import { scaleOptionsFor } from "@/lib/simulate/scale";
import { runScaleSimulation } from "@/lib/simulate/scale-run";
import { formatTrafficSummary, runTraffic } from "@/lib/simulate/traffic";

const help = `usage: npm run simulate -- [options]

Generates users with hidden tastes (genre likes, favourite neighbourhoods of the catalog) and their
watch + rating history over the movies in the database. Deterministic for a seed; re-running
updates the same users (sim:1, sim:2, ...) instead of adding new ones.

  --users N          simulated users (default 1000)
  --max-per-user N   most movies one user watches (default 20)
  --seed N           random seed (default 42)
  --clusters N       neighbourhoods the catalog is carved into (default 24)
  --plot FILE.svg    also write a chart: rating vs watch time, item popularity long tail
  --scale SIZE       benchmark-scale data instead: 1m | 5m | 10m | 20m (or e.g. 2.5m, 300k)
                     interactions over 27,000 movies (bundled catalog + placeholders), users ∝
                     size (20m: 140,000); resumable, see docs/benchmarks.md. Uses only --seed.
  --traffic N        A/B traffic instead: N visits by existing simulated users to the running
                     experiment (impressions, clicks, watches, ratings by their tastes); uses
                     --seed/--clusters of the simulation that made the users (docs/mlops.md)
  --versions A,B     with --traffic and no running experiment: start one (first = control)
  --split 50,50      its traffic split in percent, adding up to 100 (default even)
  --k N              recommendations per visit (default 10)
  --json             print the summary as JSON on stdout
  -h, --help         this help

Each mode takes only its own flags (a flag of another mode exits 2): a plain simulation --users,
--max-per-user, --seed, --clusters, --plot; --scale only --seed; --traffic --versions, --split,
--k, --seed, --clusters. All take --json.

Exit codes: 0 done · 1 failed · 2 bad arguments · 130 / 143 stopped by Ctrl-C / SIGTERM (re-run
with the same flags: users are written in batches and re-running updates them).`;

const MODE_FLAGS = {
  simulate: ["users", "max-per-user", "seed", "clusters", "plot", "json"],
  "--scale": ["scale", "seed", "json"],
  "--traffic": ["traffic", "versions", "split", "k", "seed", "clusters", "json"],
} as const;

const idList = (what: string) =>
  z
    .string()
    .regex(/^\d+(,\d+){1,3}$/, what)
    .transform((v) => v.split(",").map(Number));

const argsSchema = z
  .object({
    users: intArg(1, 1_000_000).default(1000),
    "max-per-user": intArg(1, 1000).default(20),
    seed: intArg(0, 0xffffffff).default(42),
    clusters: intArg(1, 500).default(24),
    plot: z.string().regex(/\.svg$/i, "must be a .svg file").optional(),
    scale: z
      .string()
      .regex(/^\d+(\.\d+)?[kKmM]?$/, "must be 1m, 5m, 10m, 20m or a count like 2.5m")
      .superRefine((scale, ctx) => {
        // too small for 10 interactions per user, or past the generator's bounds
        try {
          scaleOptionsFor(scale);
        } catch (err) {
          if (!(err instanceof RangeError)) throw err;
          ctx.addIssue({ code: "custom", message: err.message.replace(/^--scale /, "") });
        }
      })
      .optional(),
    traffic: intArg(1, 1_000_000).optional(),
    versions: idList("must be 2–4 comma-separated version ids")
      .refine((ids) => ids.every((id) => id >= 1 && id <= MAX_ID), `version ids are 1 to ${MAX_ID}`)
      .refine((ids) => new Set(ids).size === ids.length, "each version may be listed once (every arm serves a different one)")
      .optional(),
    split: idList("must be 2–4 comma-separated percentages")
      .refine((p) => p.every((n) => n >= 1 && n <= 99), "each percentage must be 1 to 99")
      .refine((p) => p.reduce((a, b) => a + b, 0) === 100, "the percentages must add up to 100")
      .optional(),
    k: intArg(1, 100).default(10),
    json: z.boolean().default(false),
  })
  .refine((a) => !(a.scale && a.traffic), { message: "--scale and --traffic are different modes: give one", path: ["traffic"] })
  .refine((a) => !a.split || (a.versions && a.split.length === a.versions.length), {
    message: "needs --versions, and one percentage per version",
    path: ["split"],
  });

const argOptions = {
  users: { type: "string" },
  "max-per-user": { type: "string" },
  seed: { type: "string" },
  clusters: { type: "string" },
  plot: { type: "string" },
  scale: { type: "string" },
  traffic: { type: "string" },
  versions: { type: "string" },
  split: { type: "string" },
  k: { type: "string" },
  json: { type: "boolean" },
} as const;

runCli(async () => {
  const argv = process.argv.slice(2);
  const args = parseCliArgs(argv, argOptions, argsSchema, help);
  // a flag of another mode would be silently ignored: refuse it, as evaluate refuses another model's
  const mode = args.traffic ? "--traffic" : args.scale ? "--scale" : "simulate";
  refuseFlagsOutside(flagsGiven(argv, argOptions), MODE_FLAGS[mode], mode === "simulate" ? "a plain simulation (without --traffic or --scale)" : `simulate ${mode}`, help);
  if (args.traffic) {
    const bar = createProgress("simulate --traffic", args.traffic);
    let done = 0;
    const traffic = await runTraffic(
      { visits: args.traffic, k: args.k, seed: args.seed, clusters: args.clusters, versions: args.versions, split: args.split },
      { onProgress: (n) => (bar.tick(n - done), (done = n)) },
    ).catch((err: unknown) => {
      // --versions naming a version that does not exist is a bad argument, as in `npm run models`
      if (err instanceof ApiError) throw new CliError(err.message, err.code === "not_found" ? 2 : 1);
      // the experiment's own checks, should the flags' checks above ever miss one
      if (err instanceof z.ZodError) throw new CliError(`invalid experiment: ${err.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`, 2);
      throw err;
    });
    bar.stop();
    console.log(args.json ? JSON.stringify(traffic) : await formatTrafficSummary(traffic));
    return;
  }
  if (args.scale) {
    const options = scaleOptionsFor(args.scale, { seed: args.seed });
    const bar = createProgress("simulate --scale", options.users);
    let shown = 0;
    // A step without a count (the index rebuild: a minute at 10m) gets a line of its own when it
    // starts and when it ends, rather than a bar standing at 100% in silence.
    let phase: { message: string; started: number } | undefined;
    const endPhase = () => {
      if (phase) process.stderr.write(`simulate --scale: ${phase.message}: done in ${((Date.now() - phase.started) / 1000).toFixed(1)}s\n`);
      phase = undefined;
    };
    const scale = await runScaleSimulation(options, {
      onProgress: (done) => {
        bar.tick(done - shown);
        shown = done;
      },
      onPhase: (message) => {
        bar.stop();
        endPhase();
        process.stderr.write(`simulate --scale: ${message}…\n`);
        phase = { message, started: Date.now() };
      },
    }).catch((err: unknown) => {
      if (err instanceof ApiError) throw new CliError(err.message, 1);
      throw err;
    });
    bar.stop();
    endPhase();
    if (args.json) console.log(JSON.stringify(scale));
    else
      console.log(
        scale.alreadyComplete
          ? `already complete: ${scale.users} users, ${scale.interactions} interactions in ${getEnv().DATABASE_PATH}`
          : `scale ${args.scale}: ${scale.users} users × ${options.items} movies (${scale.realMovies} real, ${scale.placeholderMovies} placeholders), ${scale.interactions} interactions in ${(scale.durationMs / 1000).toFixed(1)}s -> ${getEnv().DATABASE_PATH}${scale.resumedFrom ? ` (resumed at user ${scale.resumedFrom})` : ""}`,
      );
    return;
  }
  // The simulation commits before the plot is drawn: find out now that the plot cannot be written.
  if (args.plot) checkOutputFile("--plot", args.plot);
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
    try {
      fs.writeFileSync(args.plot, renderSimulationPlot(result.plot));
    } catch (err) {
      throw new CliError(`cannot write --plot ${args.plot} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); the simulation itself is saved (job #${result.jobId})`);
    }
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
