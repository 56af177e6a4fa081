import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { isPostgres, type Db } from "./client";

// SQL fragments whose spelling differs between SQLite and PostgreSQL. Everything else in the
// queries is written once.

/** A JSON column with `patch`'s top-level keys set (SQLite json_patch, PostgreSQL jsonb ||). */
export function jsonMerge(column: SQLWrapper, patch: Record<string, unknown>): SQL {
  const json = JSON.stringify(patch);
  return isPostgres() ? sql`(${column} || ${json}::jsonb)` : sql`json_patch(${column}, ${json})`;
}

/** The last `n` characters of a text expression. */
export function lastChars(text: SQL, n: number): SQL {
  return isPostgres() ? sql`right(${text}, ${sql.raw(String(Math.trunc(n)))})` : sql`substr(${text}, -${sql.raw(String(Math.trunc(n)))})`;
}

/** The UTC calendar day (yyyy-mm-dd) of a millisecond timestamp column. */
export function utcDay(ms: SQLWrapper): SQL<string> {
  return isPostgres()
    ? sql<string>`to_char(to_timestamp(${ms} / 1000.0) at time zone 'UTC', 'YYYY-MM-DD')`
    : sql<string>`date(${ms} / 1000, 'unixepoch')`;
}

/**
 * Serialise transactions on `key` until the caller's transaction ends: PostgreSQL takes a
 * transaction-scoped advisory lock; SQLite needs nothing (transaction() begins IMMEDIATE, which
 * already holds the only write lock).
 */
export async function lockKey(tx: Db, key: string): Promise<void> {
  if (!isPostgres()) return;
  await (tx as unknown as { execute: (q: SQL) => Promise<unknown> }).execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
}

/** Null-safe "differs": SQLite `a is not b`, PostgreSQL `a is distinct from b`. */
export function distinctFrom(a: SQLWrapper, b: SQLWrapper): SQL {
  return isPostgres() ? sql`(${a} is distinct from ${b})` : sql`(${a} is not ${b})`;
}

/**
 * A row id larger than any the table has given out, for an update that must look newly written
 * to readers comparing ids ("added or changed after id N"). PostgreSQL draws it from the column's
 * identity sequence; SQLite takes one past both the largest id present and the AUTOINCREMENT
 * high-water mark (so a deleted row's id is not handed out again).
 */
export function nextRowId(table: string, column = "id"): SQL {
  if (isPostgres()) return sql.raw(`nextval(pg_get_serial_sequence('${table}', '${column}'))`);
  return sql.raw(`(max(coalesce((select max(${column}) from ${table}), 0), coalesce((select seq from sqlite_sequence where name = '${table}'), 0)) + 1)`);
}
