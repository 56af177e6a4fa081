import { execFileSync } from "node:child_process";
import path from "node:path";
import { findPgBinDir } from "./pg-server";

// Create and drop databases on a test PostgreSQL server (tests/helpers/pg-server.ts) synchronously,
// through psql, so synchronous test helpers can call them. The admin URL is the server's `url`
// (postgres://postgres@127.0.0.1:PORT/postgres).

const NAME = /^[a-z0-9_]+$/;

/** A database name as a quoted identifier; only [a-z0-9_], at most 63 characters, is accepted. */
function ident(name: string): string {
  if (!NAME.test(name) || name.length > 63) throw new Error(`invalid database name ${JSON.stringify(name)}: use 1-63 of [a-z0-9_]`);
  return `"${name}"`;
}

/** Run SQL through psql on the database of `url`; returns psql's unaligned, tuples-only output. */
export function psql(url: string, sql: string): string {
  const u = new URL(url);
  const db = decodeURIComponent(u.pathname.replace(/^\//, "")) || "postgres";
  const args = [
    "-X", // no ~/.psqlrc
    "-q",
    "-tA",
    "-h", u.hostname || "127.0.0.1",
    "-p", u.port || "5432",
    "-U", decodeURIComponent(u.username) || "postgres",
    "-d", db,
    "-v", "ON_ERROR_STOP=1",
    "-c", sql,
  ];
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: "C", PGCONNECT_TIMEOUT: "10" };
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  try {
    return execFileSync(path.join(findPgBinDir(), "psql"), args, { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`psql ${JSON.stringify(sql)} on ${u.host}/${db} failed: ${(e.stderr || e.message).trim()}`);
  }
}

/**
 * CREATE DATABASE name [TEMPLATE template]. Cloning a template needs nobody connected to the
 * template (PostgreSQL waits up to 5 s, then fails with "source database ... is being accessed by
 * other users"); parallel clones of the same template are fine.
 */
export function createDatabase(adminUrl: string, name: string, template?: string): void {
  psql(adminUrl, `CREATE DATABASE ${ident(name)}${template === undefined ? "" : ` TEMPLATE ${ident(template)}`}`);
}

/** DROP DATABASE IF EXISTS name WITH (FORCE): open connections to it are terminated first. */
export function dropDatabase(adminUrl: string, name: string): void {
  psql(adminUrl, `DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
}

/** The admin URL with its database swapped for `name`. */
export function databaseUrl(adminUrl: string, name: string): string {
  ident(name);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
