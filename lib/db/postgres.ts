import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { foldRows, UNFOLDED_MOVIES_SQL, type UnfoldedMovie } from "@/lib/catalog/search-text";
import { migrationsFolder } from "./client";

// Lock id shared by every process that migrates one PostgreSQL database (prepare on each replica's
// start, tests): pg_advisory_lock serialises them, so replicas starting together apply each
// migration once and wait for each other instead of racing on CREATE TABLE.
const MIGRATION_LOCK = 7_316_001;

/**
 * Apply drizzle/pg migrations to the database at `url` (idempotent, safe to run concurrently).
 * Returns how many this call applied (0: the database was up to date).
 */
export async function migratePostgres(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, application_name: "matinee-migrate" });
  await client.connect();
  try {
    await client.query("SET client_min_messages = warning");
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      const before = await appliedMigrations(client);
      await migrate(drizzle(client), { migrationsFolder: migrationsFolder("postgres") });
      await backfillSearchText(client);
      return (await appliedMigrations(client)) - before;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  } finally {
    await client.end();
  }
}

/**
 * Fold the titles of movies whose search_text is still '' (all of them, the first time after 0003)
 * or in an older format (all of them, the first time after the runs were added: search-text.ts).
 */
async function backfillSearchText(client: pg.Client): Promise<void> {
  const { rows } = await client.query<UnfoldedMovie>(UNFOLDED_MOVIES_SQL);
  const folded = foldRows(rows);
  for (let i = 0; i < folded.length; i += 1000) {
    const part = folded.slice(i, i + 1000);
    await client.query("UPDATE movies SET search_text = v.s FROM unnest($1::int[], $2::text[]) AS v(id, s) WHERE movies.id = v.id", [
      part.map(([id]) => id),
      part.map(([, text]) => text),
    ]);
  }
}

/** Rows of drizzle's migration journal (none before the first migration created it). */
async function appliedMigrations(client: pg.Client): Promise<number> {
  // two statements: PostgreSQL resolves a table name when it parses, even in a branch never taken
  const { rows: journal } = await client.query<{ t: string | null }>("SELECT to_regclass('drizzle.__drizzle_migrations')::text AS t");
  if (!journal[0]?.t) return 0;
  const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM drizzle.__drizzle_migrations");
  return Number(rows[0].n);
}

/**
 * Run `fn` while holding a session-level advisory lock on `key` (PostgreSQL), so one process at a
 * time does it across every instance, e.g. the start-up prepare step of replicas starting together.
 */
export async function withSessionLock<T>(pool: pg.Pool, key: string, fn: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtext($1))", [key]);
    try {
      return await fn();
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext($1))", [key]);
    }
  } finally {
    client.release();
  }
}
