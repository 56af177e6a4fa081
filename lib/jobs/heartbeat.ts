import { Worker } from "node:worker_threads";
import { getEnv } from "@/lib/env";

// A job's heartbeat from its own thread. Training spends long stretches in synchronous code (a
// model fit, the neighbour search waiting on its worker threads), during which the main thread's
// timers and progress writes cannot run; a heartbeat kept there went quiet for minutes on a large
// catalog, and another process then took the live run for a dead one (failStaleJobs). This thread
// has its own database connection and event loop, so the heartbeat lasts exactly as long as the
// process does.

const HEARTBEAT_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
const { createRequire } = require("node:module");
const path = require("node:path");
const load = createRequire(path.join(process.cwd(), "package.json"));
const { jobId, intervalMs, databaseUrl, databasePath } = workerData;
const SQL = "UPDATE jobs SET heartbeat_at = %s WHERE id = %s AND status IN ('queued', 'running')";
let beat;
if (databaseUrl) {
  const pg = load("pg");
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "matinee-heartbeat" });
  client.on("error", () => {});
  const ready = client.connect();
  const sql = SQL.replace("%s", "$1").replace("%s", "$2");
  beat = (at) => ready.then(() => client.query(sql, [at, jobId]));
} else {
  const Database = load("better-sqlite3");
  const db = new Database(databasePath, { fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  const stmt = db.prepare(SQL.replace("%s", "?").replace("%s", "?"));
  beat = async (at) => stmt.run(at, jobId);
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
 * Keep job `jobId`'s heartbeat fresh every `intervalMs` from a worker thread until `stop()`. A
 * failed write is skipped (the next one retries); the thread never keeps the process alive.
 */
export function startHeartbeat(jobId: number, intervalMs = 10_000, onBeat?: (at: number) => void): Heartbeat {
  const env = getEnv();
  // no other process can see an in-memory database's jobs
  if (!env.DATABASE_URL && env.DATABASE_PATH === ":memory:") return { stop: async () => {} };
  const worker = new Worker(HEARTBEAT_SOURCE, {
    eval: true,
    workerData: { jobId, intervalMs, databaseUrl: env.DATABASE_URL ?? null, databasePath: env.DATABASE_PATH },
  });
  worker.unref();
  worker.on("error", (err) => console.error(`job ${jobId} heartbeat thread: ${err.message}`));
  if (onBeat) worker.on("message", onBeat);
  return { stop: () => worker.terminate().then(() => undefined) };
}
