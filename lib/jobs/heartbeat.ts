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
const { sql, args, intervalMs, databaseUrl, databasePath } = workerData;
let beat;
if (databaseUrl) {
  const pg = load("pg");
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "matinee-heartbeat" });
  client.on("error", () => {});
  const ready = client.connect();
  let n = 0;
  const text = sql.replace(/\\?/g, () => "$" + ++n);
  beat = (at) => ready.then(() => client.query(text, [at, ...args]));
} else {
  const Database = load("better-sqlite3");
  const db = new Database(databasePath, { fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  const stmt = db.prepare(sql);
  beat = async (at) => stmt.run(at, ...args);
}
const tick = () => {
  const at = Date.now();
  beat(at).then(() => parentPort.postMessage(at), () => {});
};
tick();
setInterval(tick, intervalMs);
`;

export type Heartbeat = { stop: () => Promise<void> };

/**
 * Run `sql` every `intervalMs` from a worker thread until `stop()`, with the time (ms) as its first
 * `?` parameter and `args` as the rest: `UPDATE … SET heartbeat_at = ? WHERE …`. A failed write is
 * skipped (the next one retries); the thread never keeps the process alive.
 */
export function startRowHeartbeat(label: string, sql: string, args: (string | number)[], intervalMs = 10_000, onBeat?: (at: number) => void): Heartbeat {
  const env = getEnv();
  // no other process can see an in-memory database's rows
  if (!env.DATABASE_URL && env.DATABASE_PATH === ":memory:") return { stop: async () => {} };
  const worker = new Worker(HEARTBEAT_SOURCE, {
    eval: true,
    workerData: { sql, args, intervalMs, databaseUrl: env.DATABASE_URL ?? null, databasePath: env.DATABASE_PATH },
  });
  worker.unref();
  worker.on("error", (err) => console.error(`${label} heartbeat thread: ${err.message}`));
  if (onBeat) worker.on("message", onBeat);
  return { stop: () => worker.terminate().then(() => undefined) };
}

/** Keep job `jobId`'s heartbeat fresh every `intervalMs` from a worker thread until `stop()`. */
export function startHeartbeat(jobId: number, intervalMs = 10_000, onBeat?: (at: number) => void): Heartbeat {
  return startRowHeartbeat(`job ${jobId}`, "UPDATE jobs SET heartbeat_at = ? WHERE id = ? AND status IN ('queued', 'running')", [jobId], intervalMs, onBeat);
}
