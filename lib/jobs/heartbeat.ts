import { Worker } from "node:worker_threads";
import { getEnv } from "@/lib/env";

// A heartbeat from its own thread: a job's, or a training shard's. Training spends long stretches
// in synchronous code (a model fit, the neighbour search waiting on its worker threads), during
// which the main thread's timers and progress writes cannot run; a heartbeat kept there went quiet
// for minutes on a large catalog, and another process then took the live run for a dead one
// (failStaleJobs). This thread has its own database connection and event loop, so the heartbeat
// lasts exactly as long as the process does.

const HEARTBEAT_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
const { createRequire } = require("node:module");
const path = require("node:path");
const load = createRequire(path.join(process.cwd(), "package.json"));
const { sql, args, intervalMs, databaseUrl, databasePath, cancelJobId, stopWhen } = workerData;
const CANCEL_SQL = "SELECT stats FROM jobs WHERE id = ?";
let beat;
let cancelRequested = async () => false;
let stopRow = async () => undefined;
if (databaseUrl) {
  const pg = load("pg");
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "matinee-heartbeat" });
  client.on("error", () => {});
  const ready = client.connect();
  const numbered = (text) => {
    let n = 0;
    return text.replace(/\\?/g, () => "$" + ++n);
  };
  const text = numbered(sql);
  beat = (at) => ready.then(() => client.query(text, [at, ...args]));
  const check = numbered(CANCEL_SQL);
  cancelRequested = () => ready.then(() => client.query(check, [cancelJobId])).then((r) => r.rows[0] && r.rows[0].stats);
  if (stopWhen) {
    const stopText = numbered(stopWhen.sql);
    stopRow = () => ready.then(() => client.query(stopText, stopWhen.args)).then((r) => r.rows[0]);
  }
} else {
  const Database = load("better-sqlite3");
  const db = new Database(databasePath, { fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  const stmt = db.prepare(sql);
  beat = async (at) => stmt.run(at, ...args);
  const check = db.prepare(CANCEL_SQL).pluck();
  cancelRequested = async () => check.get(cancelJobId);
  if (stopWhen) {
    const stopStmt = db.prepare(stopWhen.sql);
    stopRow = async () => stopStmt.get(...stopWhen.args);
  }
}
// The job's stats carry cancelRequestedAt once an admin asked to stop it from any app instance:
// this process may be on another host, where their SIGTERM cannot reach, and its main thread may be
// in a fit for minutes. The signal ends it at once (its writes are one transaction each), as a
// SIGTERM from the same host does; the next stale-job sweep records the job cancelled.
const stopIfAsked = async () => {
  if (stopWhen && (await stopRow())) {
    // written at once: the main thread, which forwards a thread's output, may be busy for minutes
    require("node:fs").writeSync(2, stopWhen.message + "\\n");
    process.kill(process.pid, "SIGTERM");
    return;
  }
  if (cancelJobId == null) return;
  let stats = await cancelRequested();
  if (typeof stats === "string") stats = JSON.parse(stats);
  if (stats && typeof stats.cancelRequestedAt === "number") process.kill(process.pid, "SIGTERM");
};
const tick = () => {
  const at = Date.now();
  beat(at).then(() => parentPort.postMessage(at)).then(stopIfAsked).catch(() => {});
};
tick();
setInterval(tick, intervalMs);
`;

export type Heartbeat = { stop: () => Promise<void> };

/**
 * A condition the heartbeat thread checks after each beat: once `sql` returns a row, it writes
 * `message` to stderr and sends this process SIGTERM (a sharded training run aborted from another
 * host, while this process is in a fit that no handler of its main thread could interrupt).
 */
export type StopWhen = { sql: string; args: (string | number)[]; message: string };

export type RowHeartbeatOptions = {
  /** Every how many ms (default 10 s). */
  intervalMs?: number;
  /** Called with each beat's time once it is written. */
  onBeat?: (at: number) => void;
  /** Send this process SIGTERM once job `cancelJobId` carries a cancel request (its stats). */
  cancelJobId?: number;
  /** Or once this query returns a row (StopWhen). */
  stopWhen?: StopWhen;
};

/**
 * Run `sql` every `intervalMs` from a worker thread until `stop()`, with the time (ms) as its first
 * `?` parameter and `args` as the rest: `UPDATE … SET heartbeat_at = ? WHERE …`. A failed write is
 * skipped (the next one retries); the thread never keeps the process alive.
 */
export function startRowHeartbeat(label: string, sql: string, args: (string | number)[], options: RowHeartbeatOptions = {}): Heartbeat {
  const { intervalMs = 10_000, onBeat, cancelJobId, stopWhen } = options;
  const env = getEnv();
  // no other process can see an in-memory database's rows
  if (!env.DATABASE_URL && env.DATABASE_PATH === ":memory:") return { stop: async () => {} };
  const worker = new Worker(HEARTBEAT_SOURCE, {
    eval: true,
    workerData: { sql, args, intervalMs, databaseUrl: env.DATABASE_URL ?? null, databasePath: env.DATABASE_PATH, cancelJobId: cancelJobId ?? null, stopWhen: stopWhen ?? null },
  });
  worker.unref();
  worker.on("error", (err) => console.error(`${label} heartbeat thread: ${err.message}`));
  if (onBeat) worker.on("message", onBeat);
  return { stop: () => worker.terminate().then(() => undefined) };
}

/**
 * Keep job `jobId`'s heartbeat fresh every `intervalMs` from a worker thread until `stop()`. With
 * `endOnCancel` (a script process's training run) the thread also reads the job's cancel request
 * after each beat and, once there is one, sends this process SIGTERM.
 */
export function startHeartbeat(jobId: number, intervalMs = 10_000, onBeat?: (at: number) => void, opts: { endOnCancel?: boolean } = {}): Heartbeat {
  const sql = "UPDATE jobs SET heartbeat_at = ? WHERE id = ? AND status IN ('queued', 'running')";
  return startRowHeartbeat(`job ${jobId}`, sql, [jobId], { intervalMs, onBeat, cancelJobId: opts.endOnCancel ? jobId : undefined });
}
