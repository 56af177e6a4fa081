// The background worker: claims one queued job (started by the admin UI, or by hand) and runs it.
// `npm run worker -- --job 12` (the app runs `scripts/worker.ts --job N` with tsx). Progress and log lines go to the job row; this output
// (the file the app points it at) keeps anything the row cannot, such as a crash.
import { z } from "zod";
import { CliError, idArg, parseCliArgs, runCli } from "@/lib/cli";
import { requireExistingDatabase } from "@/lib/db/client";
import { closeDb } from "@/lib/db";
import { failOpenJob } from "@/lib/jobs/queue";
import type { Job } from "@/lib/db/schema";
import { JobClaimError, runJob, runNextJob } from "@/lib/jobs/runner";

const HELP = `usage: npm run worker -- --job N | --next

Claims queued job N (queued -> running, atomically: a job runs once even if two workers try),
runs it (crawl, simulate or train), reports progress into the job row, and marks it succeeded or
failed. SIGTERM / Ctrl-C stops it: a crawl ends "cancelled" after the current request, a simulation
after the current batch of 500 users (re-run either to resume); a training run ends at once (its
job shows failed as abandoned, and the next run cleans up its half-written version). An admin's
Stop job from an app instance on another host reaches it through the job row: the same, without
the signal (training: from its heartbeat thread, within 10 s).

  --job N    the queued job's id (from the admin UI or GET /api/admin/jobs)
  --next     claim the oldest queued job instead (FOR UPDATE SKIP LOCKED on PostgreSQL: workers on
             many instances each get a different one); exits 0 when the queue is empty

Exit codes: 0 the job succeeded (or --next found none) · 1 it failed or was cancelled · 2 bad arguments
· 3 no such job, or it is not queued (nothing was run) · 143 stopped by SIGTERM / Ctrl-C (the job
is marked cancelled, or failed if it could not stop within 2 s).`;

const argsSchema = z
  .object({ job: idArg().optional(), next: z.boolean().default(false) })
  .refine((a) => (a.job !== undefined) !== a.next, { message: "give exactly one of --job N and --next", path: ["job"] });

runCli(async () => {
  const args = parseCliArgs(process.argv.slice(2), { job: { type: "string" }, next: { type: "boolean" } }, argsSchema, HELP);
  requireExistingDatabase();
  const controller = new AbortController();
  let current: number | undefined = args.job;
  let stoppedBy: NodeJS.Signals | undefined;
  const stop = (signal: NodeJS.Signals) => {
    stoppedBy = signal;
    console.log(`${signal}: stopping job #${current ?? "(none claimed)"}`);
    // the job's error names it ("cancelled by SIGTERM to its worker"), unless an admin asked
    controller.abort(`${signal} to its worker`);
    // A crawl stops between requests and records "cancelled"; the other services cannot stop
    // part-way, so their job ends failed now (training cleans up its half-written version next run).
    setTimeout(() => {
      void (current === undefined ? Promise.resolve(false) : failOpenJob(current, `stopped: the worker received ${signal}`))
        .catch(() => {})
        .then(() => closeDb())
        .finally(() => process.exit(143));
    }, 2_000).unref();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);

  const claimed = (j: Job) => {
    current = j.id;
    // what `kill <worker pid>` needs (docs/admin.md); --job N said it before claiming
    if (args.next) console.log(`worker ${process.pid}: job #${j.id} (${j.kind})`);
    // Training spends minutes in synchronous code, where this handler could not run until the
    // run had finished (and promoted its model): leave the signal its default action, at once.
    if (j.kind === "train") {
      process.removeListener("SIGTERM", stop);
      process.removeListener("SIGINT", stop);
    }
  };
  const options = { signal: controller.signal, onLog: (line: string) => console.log(line), onClaimed: claimed };
  let job;
  try {
    if (args.job !== undefined) {
      console.log(`worker ${process.pid}: job #${args.job}`);
      job = await runJob(args.job, options);
    } else {
      job = await runNextJob(options);
      if (!job) {
        console.log(`worker ${process.pid}: no queued job`);
        return;
      }
    }
  } catch (err) {
    if (err instanceof JobClaimError) throw new CliError(err.message, 3);
    throw err;
  }
  console.log(`job #${job.id} ${job.status}${job.message ? `: ${job.message}` : ""}`);
  // The job stopped in time and recorded its outcome; the exit still says a signal ended it.
  if (stoppedBy) throw new CliError(`job #${job.id} ${job.status}: stopped by ${stoppedBy}`, 143);
  if (job.status !== "succeeded") throw new CliError(job.error ?? `job ${job.status}`, 1);
});
