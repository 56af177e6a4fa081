import { AsyncLocalStorage } from "node:async_hooks";
import type { SQL } from "drizzle-orm";
import { getDb, isPostgres, sqliteHandle, type Db } from "./client";

// Transactions and results in a form both dialects share.
//
// PostgreSQL: drizzle's transaction on one pooled connection; `tx` must be used for every
// statement that belongs to it. SQLite: better-sqlite3 has one connection and synchronous
// transactions, so an async callback is run between BEGIN IMMEDIATE and COMMIT, one transaction at
// a time per process (a queue), and `tx` is the client itself. BEGIN IMMEDIATE takes the database's
// write lock at once, so two processes never interleave their writes. A transaction nested in
// another (same async context) joins the outer one.

const current = new AsyncLocalStorage<Db>();
let sqliteQueue: Promise<unknown> = Promise.resolve();

export async function transaction<T>(fn: (tx: Db) => Promise<T>, db: Db = getDb()): Promise<T> {
  const outer = current.getStore();
  if (outer) return fn(outer);
  if (isPostgres()) {
    return (db as unknown as { transaction: (f: (tx: Db) => Promise<T>) => Promise<T> }).transaction((tx) => current.run(tx, () => fn(tx)));
  }
  const run = async (): Promise<T> => {
    const handle = sqliteHandle(db);
    handle.exec("BEGIN IMMEDIATE");
    try {
      const result = await current.run(db, () => fn(db));
      handle.exec("COMMIT");
      return result;
    } catch (err) {
      if (handle.inTransaction) handle.exec("ROLLBACK");
      throw err;
    }
  };
  const result = sqliteQueue.then(run, run);
  sqliteQueue = result.catch(() => undefined);
  return result;
}

/** The transaction the caller runs in, if any (helpers that take no `tx` argument join it). */
export function currentTransaction(): Db | undefined {
  return current.getStore();
}

/** Rows changed by an awaited insert/update/delete without `returning` (SQLite `changes`, PostgreSQL `rowCount`). */
export function affectedRows(result: unknown): number {
  const r = result as { changes?: number; rowCount?: number | null };
  return Number(r.changes ?? r.rowCount ?? 0);
}

/** Rows of a raw SQL query (SQLite `all`, PostgreSQL `execute(...).rows`). */
export async function rawRows<T>(query: SQL, db: Db = currentTransaction() ?? getDb()): Promise<T[]> {
  if (isPostgres()) {
    const res = (await (db as unknown as { execute: (q: SQL) => Promise<{ rows: T[] }> }).execute(query)) as { rows: T[] };
    return res.rows;
  }
  return db.all<T>(query);
}
