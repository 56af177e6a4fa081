import path from "node:path";
import { getEnv } from "@/lib/env";

// Database failures that come from where the database is (a file that cannot be opened or written,
// a server that cannot be reached or refuses the login), not from the code: a script reports them in
// one line instead of a stack trace.

/** SQLite result codes that name a problem with the file, its folder or the disk. */
const SQLITE_ENVIRONMENT = /^SQLITE_(CANTOPEN|PERM|READONLY|NOTADB|CORRUPT|FULL|IOERR|BUSY|LOCKED)/;
/** SQLite codes an operator fixes with file permissions. */
const SQLITE_ACCESS = /^SQLITE_(CANTOPEN|PERM|READONLY)/;
/**
 * Socket errors, and PostgreSQL SQLSTATEs of class 08 (the connection: not 08P01, a protocol
 * violation, which the code itself can cause), 28 (login), 3D000 (no such database), 53
 * (resources) and 57P (shutdown).
 */
const POSTGRES_ENVIRONMENT = /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|080(00|01|03|04|06)|28\w{3}|3D000|53\w{3}|57P\w{2})$/;
/** node-postgres' and its pool's own words for a lost or unobtainable connection (they carry no code). */
const POSTGRES_CONNECTION_LOST = /^(Connection terminated|timeout exceeded when trying to connect)/;

/**
 * One line describing a database failure caused by the environment, or null for anything else
 * (a bug, bad input) that should keep its stack trace. drizzle wraps driver errors ("Failed query:
 * …"), so the cause chain is searched, for the codes of the database this process runs on (a
 * socket error on SQLite is not the database's).
 */
export function describeDatabaseFailure(err: unknown): string | null {
  const postgres = Boolean(getEnv().DATABASE_URL);
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as Error & { code?: unknown }).code;
    if (postgres && code === undefined && POSTGRES_CONNECTION_LOST.test(e.message)) {
      return `the PostgreSQL database ${redactedUrl(getEnv().DATABASE_URL)} cannot be used: ${e.message}`;
    }
    if (typeof code !== "string") continue;
    if (!postgres && SQLITE_ENVIRONMENT.test(code)) {
      const file = path.resolve(getEnv().DATABASE_PATH);
      // not a broken database: another process (an import, a training run) is writing to it
      if (/^SQLITE_(BUSY|LOCKED)/.test(code)) {
        return `the SQLite database ${file} is busy: another process kept it locked for writing past 5 s (${code}); try again when that import, simulation or training run is done`;
      }
      const hint = SQLITE_ACCESS.test(code) ? "; check that the file and its folder can be read and written by this user" : "";
      return `the SQLite database ${file} cannot be used: ${e.message} (${code})${hint}`;
    }
    if (postgres && POSTGRES_ENVIRONMENT.test(code)) {
      return `the PostgreSQL database ${redactedUrl(getEnv().DATABASE_URL)} cannot be used: ${e.message || code} (${code})`;
    }
  }
  return null;
}

/**
 * Whether a write failed on a unique constraint, in either database (SQLite's
 * SQLITE_CONSTRAINT_UNIQUE, PostgreSQL's SQLSTATE 23505), searching drizzle's cause chain.
 */
export function isUniqueViolation(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as Error & { code?: unknown }).code;
    if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "23505") return true;
  }
  return false;
}

/**
 * Whether an `INSERT … ON CONFLICT (columns)` failed because no unique index covers those columns
 * (SQLite says so when the statement is prepared). In a migrated database that means an index was
 * dropped, as a `simulate --scale` bulk load does for its duration; searched through drizzle's cause chain.
 */
export function isMissingConflictTarget(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (/ON CONFLICT clause does not match any PRIMARY KEY or UNIQUE constraint/.test(e.message)) return true;
  }
  return false;
}

/** DATABASE_URL without its password or query (which may carry credentials). */
function redactedUrl(url: string | undefined): string {
  if (!url) return "(DATABASE_URL)";
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${u.username}@` : ""}${u.host}${u.pathname}`;
  } catch {
    return "(DATABASE_URL)";
  }
}
