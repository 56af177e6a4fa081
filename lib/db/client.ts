import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import pg from "pg";
import { foldRows, UNFOLDED_MOVIES_SQL, type UnfoldedMovie } from "@/lib/catalog/search-text";
import { DEFAULT_DATABASE_PATH, EnvError, getEnv, selectsPostgres } from "@/lib/env";
import * as pgSchema from "./schema.pg";
import * as sqliteSchema from "./schema.sqlite";

// One drizzle client per process: SQLite (better-sqlite3, the embedded default, DATABASE_PATH) or
// PostgreSQL (node-postgres pool, DATABASE_URL). Queries are written once against the `Db` type
// (the SQLite face; schema.ts binds the PostgreSQL tables when that dialect is active) and use
// only what both dialects share: awaited query builders, `transaction()` from tx.ts, and the
// helpers in this folder. Anything dialect-specific lives in lib/db/.

export type Db = BetterSQLite3Database<typeof sqliteSchema> & { $client: Database.Database };
export type Dialect = "sqlite" | "postgres";

type Holder = { key: string; dialect: Dialect; db: Db; close: () => Promise<void> };
// Kept on globalThis so Next's dev reloads reuse it.
const holder = globalThis as unknown as { __matineeDb?: Holder };

/**
 * The migrations, in the app's folder: the working directory of the server and of every script.
 * Run from elsewhere, EnvError saying so (one line from a script), not drizzle's "Can't find
 * meta/_journal.json file" with a stack trace.
 */
export function migrationsFolder(which: Dialect = "sqlite"): string {
  const folder = path.join(process.cwd(), "drizzle", ...(which === "postgres" ? ["pg"] : []));
  if (!fs.existsSync(path.join(folder, "meta", "_journal.json"))) {
    throw new EnvError([`the database migrations are not in ${folder}: run Matinee's server and scripts from its folder (the one with package.json)`]);
  }
  return folder;
}

/**
 * The dialect this process runs on: PostgreSQL when DATABASE_URL is set. Modules call this while
 * they load (SQL fragments built once), so it must not validate the whole environment: getDb()
 * does that, and a CLI reports an invalid variable in one line instead of an import-time stack.
 */
export function dialect(): Dialect {
  return selectsPostgres() ? "postgres" : "sqlite";
}

export function isPostgres(): boolean {
  return dialect() === "postgres";
}

/** Open (creating the file, not its folder) and migrate a SQLite database. */
export function openDatabase(file: string, options: { migrate?: boolean } = {}): Db {
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  const db = drizzle(sqlite, { schema: sqliteSchema }) as Db;
  if (options.migrate !== false) {
    const before = appliedSqliteMigrations(sqlite);
    migrate(db, { migrationsFolder: migrationsFolder() });
    appliedAtOpen.set(db, appliedSqliteMigrations(sqlite) - before);
    backfillSearchText(sqlite);
  }
  return db;
}

/**
 * Fold the titles of movies whose search_text is still '' (all of them, the first time after 0009)
 * or in an older format (all of them, the first time after the runs were added: search-text.ts).
 */
function backfillSearchText(sqlite: Database.Database): void {
  const rows = sqlite.prepare(UNFOLDED_MOVIES_SQL).all() as UnfoldedMovie[];
  if (rows.length === 0) return;
  const update = sqlite.prepare("UPDATE movies SET search_text = ? WHERE id = ?");
  sqlite.transaction(() => {
    for (const [id, text] of foldRows(rows)) update.run(text, id);
  })();
}

const appliedAtOpen = new WeakMap<Db, number>();

/** How many migrations opening this SQLite client applied (0: the file was up to date); prepare reports it. */
export function migrationsAppliedAtOpen(db: Db = getDb()): number {
  return appliedAtOpen.get(db) ?? 0;
}

/** Rows of drizzle's migration journal (none before the first migration created it). */
function appliedSqliteMigrations(sqlite: Database.Database): number {
  const journal = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  return journal ? (sqlite.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number }).n : 0;
}

/**
 * DATABASE_PATH problems SQLite would report only as "unable to open database file" (with a stack
 * trace in a script), as one EnvError naming the variable: the CLI prints it in one line, exit 2.
 * The default's folder (data/, for any file in it) is created on first use. Any other must exist: a
 * mistyped path used to be created silently, and read-only commands then reported the new empty
 * database ("no model versions yet") instead of the mistake.
 */
function checkDatabasePath(file: string): void {
  if (file === ":memory:") return;
  const resolved = path.resolve(file);
  if (statOrNull(resolved)?.isDirectory()) throw new EnvError([`DATABASE_PATH: ${resolved} is a directory, not a database file`]);
  const dir = path.dirname(resolved);
  const parent = statOrNull(dir);
  if (parent && !parent.isDirectory()) throw new EnvError([`DATABASE_PATH: ${dir} is not a directory`]);
  if (parent) return;
  if (dir !== path.resolve(path.dirname(DEFAULT_DATABASE_PATH))) throw new EnvError([`DATABASE_PATH: directory ${dir} does not exist`]);
  fs.mkdirSync(dir, { recursive: true });
}

/**
 * For commands that only read or act on what a database already holds (`models`, `runs`, `worker`):
 * a SQLite DATABASE_PATH with no file there, outside the default's data/ folder, is a mistake (a
 * typo in the file's name), not a new database to create and then report empty ("no model
 * versions yet"). EnvError naming it.
 */
export function requireExistingDatabase(): void {
  const env = getEnv();
  if (env.DATABASE_URL || env.DATABASE_PATH === ":memory:") return;
  checkDatabasePath(env.DATABASE_PATH);
  const resolved = path.resolve(env.DATABASE_PATH);
  // the default's folder (data/) is where a fresh clone's database is made: nothing mistyped there
  if (path.dirname(resolved) === path.resolve(path.dirname(DEFAULT_DATABASE_PATH))) return;
  if (!statOrNull(resolved)) {
    throw new EnvError([`DATABASE_PATH: there is no database at ${resolved} (a mistyped name? npm run prepare-data creates one)`]);
  }
}

/** At server start: the SQLite DATABASE_PATH is usable (EnvError otherwise, see checkDatabasePath). */
export function checkDatabaseLocation(): void {
  const env = getEnv();
  if (!env.DATABASE_URL) checkDatabasePath(env.DATABASE_PATH);
}

/** fs.statSync, or null when nothing is there (ENOENT, or ENOTDIR: a parent is a file). */
function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw err;
  }
}

// node-postgres returns int8 (bigint, count(*)) as strings; every bigint here is a millisecond
// timestamp or a count well inside 2^53, so read them as numbers (numeric, from sum(), too).
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

function openPostgres(url: string): { db: Db; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: getEnv().DATABASE_POOL_SIZE, application_name: "matinee" });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on("error", (err) => console.error(`postgres pool: ${err.message}`));
  const db = drizzlePg(pool, { schema: pgSchema }) as unknown as Db;
  return { db, pool };
}

/**
 * The shared drizzle client. SQLite is migrated on first use; PostgreSQL is migrated by
 * `migratePostgres` (prepare, tests), once for all instances, not by every process.
 */
export function getDb(): Db {
  const env = getEnv();
  const key = env.DATABASE_URL ?? env.DATABASE_PATH;
  if (holder.__matineeDb?.key !== key) {
    void holder.__matineeDb?.close();
    if (env.DATABASE_URL) {
      const { db, pool } = openPostgres(env.DATABASE_URL);
      holder.__matineeDb = { key, dialect: "postgres", db, close: () => pool.end() };
    } else {
      checkDatabasePath(env.DATABASE_PATH);
      const db = openDatabase(env.DATABASE_PATH);
      holder.__matineeDb = { key, dialect: "sqlite", db, close: async () => void db.$client.close() };
    }
  }
  return holder.__matineeDb.db;
}

/**
 * The node-postgres pool behind a PostgreSQL client (bulk writes and streaming reads use it).
 * Found through drizzle's `$client`, not module state: Next bundles this module into several
 * chunks, which share the client (globalThis) but not each other's variables.
 */
export function pgPool(db: Db = getDb()): pg.Pool {
  if (!isPostgres()) throw new Error("not a PostgreSQL client");
  return (db as unknown as { $client: pg.Pool }).$client;
}

/** The better-sqlite3 handle behind a SQLite client. */
export function sqliteHandle(db: Db = getDb()): Database.Database {
  if (isPostgres()) throw new Error("not a SQLite client");
  return db.$client;
}

/** Close the shared client (scripts call this before exiting; tests between files). */
export async function closeDb(): Promise<void> {
  const current = holder.__matineeDb;
  holder.__matineeDb = undefined;
  await current?.close();
}

export { sqliteSchema as schema };
