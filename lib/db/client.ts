import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { getEnv } from "@/lib/env";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

// One client per process and database path. Kept on globalThis so Next's dev reloads reuse it.
const holder = globalThis as unknown as { __matineeDb?: { path: string; db: Db } };

export function migrationsFolder(): string {
  return path.join(process.cwd(), "drizzle");
}

export function openDatabase(file: string, options: { migrate?: boolean } = {}): Db {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  const db = drizzle(sqlite, { schema }) as Db;
  if (options.migrate !== false) migrate(db, { migrationsFolder: migrationsFolder() });
  return db;
}

/** The shared drizzle client for DATABASE_PATH, migrated on first use. */
export function getDb(): Db {
  const file = getEnv().DATABASE_PATH;
  if (holder.__matineeDb?.path !== file) {
    holder.__matineeDb?.db.$client.close();
    holder.__matineeDb = { path: file, db: openDatabase(file) };
  }
  return holder.__matineeDb.db;
}

/** Close the shared client (scripts call this before exiting; tests between files). */
export function closeDb(): void {
  holder.__matineeDb?.db.$client.close();
  holder.__matineeDb = undefined;
}

export { schema };
