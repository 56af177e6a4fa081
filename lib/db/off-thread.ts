import path from "node:path";
import { Worker } from "node:worker_threads";
import { getEnv } from "@/lib/env";
import { getDb, isPostgres, sqliteHandle } from "./client";
import { readConsistently } from "./raw";

// Long reads (aggregates over the whole interactions table) away from the server's event loop.
// better-sqlite3 reads synchronously: a 1-s scan on the main thread holds every other request, the
// health probes included, for that second (the admin overview's drift check held a server for 9 s
// at 1.6M interactions; QA). On SQLite such a read runs in a worker thread of its own, with its own
// connection (WAL: readers do not block the writer, nor it them); on PostgreSQL the pool's reads
// are asynchronous already.

/** A statement as a query builder's `.toSQL()` gives it, in the current dialect. */
export type SqlQuery = { sql: string; params: unknown[] };

const READ_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
const { createRequire } = require("node:module");
const path = require("node:path");
const load = createRequire(path.join(process.cwd(), "package.json"));
const { file, queries } = workerData;
let db;
try {
  const Database = load("better-sqlite3");
  db = new Database(file, { fileMustExist: true, readonly: true });
  db.pragma("busy_timeout = 5000");
  // one read transaction: every statement reads the same snapshot
  const rows = db.transaction(() => queries.map((q) => db.prepare(q.sql).raw(true).all(...q.params)))();
  parentPort.postMessage({ rows });
} catch (err) {
  parentPort.postMessage({ error: { message: String((err && err.message) || err), code: err && typeof err.code === "string" ? err.code : undefined } });
} finally {
  if (db) db.close();
}
`;

/**
 * Every row of each read-only statement, as arrays, without blocking this thread for the reads:
 * on SQLite in a worker thread with a read-only connection, on PostgreSQL on one of the pool's
 * connections. Either way in one read transaction (PostgreSQL: repeatable read), so all statements
 * see the same data. A database failure rejects with an error carrying the driver's `code`, as a
 * read on the main connection would (lib/db/errors.ts).
 */
export async function readArraysOffThread(queries: SqlQuery[]): Promise<unknown[][][]> {
  const db = getDb(); // checks the environment and migrates, as every other read does
  if (isPostgres()) {
    // (a PostgreSQL builder's text numbers its parameters already: $1…, no `?` for readConsistently to renumber)
    return readConsistently(async (query) => {
      const out: unknown[][][] = [];
      for (const q of queries) out.push(await query(q.sql, q.params));
      return out;
    });
  }
  const file = getEnv().DATABASE_PATH;
  if (file === ":memory:") {
    // no other connection can see an in-memory database
    const handle = sqliteHandle(db);
    return handle.transaction(() => queries.map((q) => handle.prepare(q.sql).raw(true).all(...q.params) as unknown[][]))();
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(READ_SOURCE, { eval: true, workerData: { file: path.resolve(file), queries } });
    worker.once("message", (message: { rows?: unknown[][][]; error?: { message: string; code?: string } }) => {
      if (message.error) reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
      else resolve(message.rows ?? []);
    });
    worker.once("error", reject);
    // after a message this settles nothing; before one, the thread died without answering
    worker.once("exit", (code) => reject(new Error(`the database read thread exited with code ${code} before answering`)));
  });
}
