import type { Statement } from "better-sqlite3";
import type { MaybePromise } from "@/lib/util/maybe";
import { getDb, isPostgres, pgPool, sqliteHandle } from "./client";

// Plain-SQL reads for the bulk paths (training data, the neighbour index) and the serving path's
// reads of a user's newest interaction and cached top-k, returning rows as arrays: no drizzle row
// objects, which cost seconds at millions of rows, and no query-builder layers on the per-request
// reads (docs/benchmarks.md).
// Parameters are written `?` in both dialects (rewritten to $1.. for PostgreSQL); the SQL itself
// must be common to both.

function numbered(text: string): string {
  let i = 0;
  return text.replace(/\?/g, () => `$${++i}`);
}

/** Every row of a query, each as an array of column values. */
export async function queryArrays<T extends unknown[]>(text: string, params: unknown[] = []): Promise<T[]> {
  return queryArraysNow<T>(text, params);
}

/**
 * Every row as arrays, for the request path: the rows themselves on SQLite, whose embedded read
 * has finished when the call returns, a promise on PostgreSQL (see queryValueNow).
 */
export function queryArraysNow<T extends unknown[]>(text: string, params: unknown[] = []): MaybePromise<T[]> {
  if (isPostgres()) return pgArrays<T>(text, params);
  return sqliteStatement(text).all(...params) as T[];
}

/** How long a write that may be put off waits for another process's SQLite write lock. */
const SHORT_BUSY_TIMEOUT_MS = 50;

/**
 * queryArraysNow for a write that may be put off (the rate limit's shared count): on SQLite it
 * waits at most SHORT_BUSY_TIMEOUT_MS for another process's write lock (long enough for a commit,
 * not for an import's whole transaction; better-sqlite3 waits synchronously, so the usual 5 s
 * would stall every request the server is handling), then fails with SQLITE_BUSY. PostgreSQL's
 * waits do not block the event loop, and are as usual.
 */
export function queryArraysWithoutWaiting<T extends unknown[]>(text: string, params: unknown[] = []): MaybePromise<T[]> {
  if (isPostgres()) return pgArrays<T>(text, params);
  const handle = sqliteHandle(getDb());
  const timeout = handle.pragma("busy_timeout", { simple: true }) as number;
  handle.pragma(`busy_timeout = ${SHORT_BUSY_TIMEOUT_MS}`);
  try {
    return sqliteStatement(text).all(...params) as T[];
  } finally {
    handle.pragma(`busy_timeout = ${Number(timeout) || 0}`);
  }
}

async function pgArrays<T extends unknown[]>(text: string, params: unknown[]): Promise<T[]> {
  const res = await pgPool().query({ text: numbered(text), values: params, rowMode: "array" });
  return res.rows as T[];
}

/**
 * The first column of the first row (or null) for the request path: the value itself on SQLite,
 * whose embedded read has finished when the call returns, a promise on PostgreSQL. Callers handle
 * both (lib/util/maybe.ts), so nothing assumes a local database.
 */
export function queryValueNow<T>(text: string, params: unknown[] = []): MaybePromise<T | null> {
  if (isPostgres()) return queryValue<T>(text, params);
  const row = sqliteStatement(text).get(...params) as [T] | undefined;
  return row ? row[0] : null;
}

const STATEMENTS_KEPT = 256; // distinct SQL texts (lists of ? vary in length) kept prepared
const statements = new WeakMap<object, Map<string, Statement>>();

/** A prepared statement (array rows) for this SQL text on the current SQLite client, reused. */
function sqliteStatement(text: string): Statement {
  const handle = sqliteHandle(getDb());
  let kept = statements.get(handle);
  if (!kept) statements.set(handle, (kept = new Map()));
  let stmt = kept.get(text);
  if (stmt === undefined) {
    if (kept.size >= STATEMENTS_KEPT) kept.clear();
    stmt = handle.prepare(text).raw(true);
    kept.set(text, stmt);
  }
  return stmt;
}

/** The first column of the first row (e.g. a count), or null. */
export async function queryValue<T>(text: string, params: unknown[] = []): Promise<T | null> {
  const [row] = await queryArrays<[T]>(text, params);
  return row ? row[0] : null;
}

export type ArrayQuery = <T extends unknown[]>(text: string, params?: unknown[]) => Promise<T[]>;

/**
 * Run several reads that must see one consistent state of the database (e.g. a row count and the
 * pages that follow it). PostgreSQL: one connection in a REPEATABLE READ, READ ONLY transaction.
 * SQLite: the plain connection (one writer; callers bound what they read by the count they took).
 */
export async function readConsistently<T>(fn: (query: ArrayQuery) => Promise<T>): Promise<T> {
  if (!isPostgres()) return fn(queryArrays);
  const client = await pgPool().connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const query: ArrayQuery = async <R extends unknown[]>(text: string, params: unknown[] = []) =>
      (await client.query({ text: numbered(text), values: params, rowMode: "array" })).rows as R[];
    const result = await fn(query);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
