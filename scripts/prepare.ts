// npm run prepare-data — migrate and load the embedded default into DATABASE_PATH (or DATABASE_URL). Safe to re-run.
// The container entrypoint runs this (bundled as prepare.cjs) with no arguments; `npm start`
// calls prepareEmbeddedDefault itself.
import { z } from "zod";
import { parseCliArgs, runCli } from "@/lib/cli";
import { getEnv } from "@/lib/env";
import { prepareEmbeddedDefault, trainingFailure } from "@/lib/setup/prepare";

const HELP = `usage: npm run prepare-data

Prepares the embedded default on the configured database, each step only when it is not done yet,
so it is safe to re-run (npm start and the container entrypoint run the same steps before serving):
  1. database migrations (on PostgreSQL under an advisory lock: replicas starting together take turns)
  2. the bundled catalog of 4,803 TMDB movies
  3. 1,000 simulated users with watches and ratings, when there are no interactions yet (or to
     finish that simulation when an earlier prepare was interrupted during it)
  4. a first trained model version, when none serves (unless a train job is already queued or
     running, e.g. the run of a restarted pod: it says so and finishes, and that job provides it)

Takes no arguments but -h / --help. Environment:
  DATABASE_PATH        SQLite file                                   [default: data/matinee.db]
  DATABASE_URL         postgres://user:pass@host:5432/db: PostgreSQL instead of DATABASE_PATH
  DATABASE_POOL_SIZE   PostgreSQL connections                        [default: 10]

Exit codes: 0 ready · 1 a step failed (re-run: finished steps are skipped) · 2 bad arguments or
environment (e.g. DATABASE_PATH in a folder that does not exist) · 130 / 143 stopped by Ctrl-C /
SIGTERM (re-run to go on).`;

runCli(async () => {
  parseCliArgs(process.argv.slice(2), {}, z.object({}), HELP);
  const report = await prepareEmbeddedDefault((line) => console.log(line)).catch(trainingFailure);
  const env = getEnv();
  // The PostgreSQL URL may hold a password: name only its host and database.
  const target = env.DATABASE_URL ? `PostgreSQL ${new URL(env.DATABASE_URL).host}${new URL(env.DATABASE_URL).pathname}` : env.DATABASE_PATH;
  console.log(`prepared ${target} in ${report.seconds.toFixed(1)}s`);
});
