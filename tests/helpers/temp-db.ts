import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { closeDb, getDb, openDatabase } from "@/lib/db";
import { resetEnvForTests } from "@/lib/env";
import { resetCatalogGenerationForTests } from "@/lib/catalog/generation";
import { resetActivityForTests } from "@/lib/interactions/activity";
import { clearListCache } from "@/lib/recs/list-cache";
import { createDatabase, databaseUrl, dropDatabase } from "./pg-databases";

/** The vitest project runs on PostgreSQL (vitest.config.mts sets this for the "postgres" project). */
export function testingPostgres(): boolean {
  return process.env.MATINEE_TEST_DIALECT === "postgres";
}

/**
 * A fresh, migrated, empty database for this test file, and a cleanup function. SQLite: a temp
 * file at DATABASE_PATH. PostgreSQL: a new database cloned from the migrated template on the
 * test server (tests/setup/pg-global.ts) at DATABASE_URL. `dir` is a temp directory either way.
 * Use in beforeAll/beforeEach; each test file runs in its own process (vitest forks pool).
 */
export function useTempDb(): { file: string; dir: string; url: string | null; cleanup: () => Promise<void> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "matinee-test-"));
  const file = path.join(dir, "test.db");
  let url: string | null = null;
  let name: string | null = null;
  if (testingPostgres()) {
    const admin = inject("pgAdminUrl");
    name = `t_${process.pid}_${randomBytes(4).toString("hex")}`;
    createDatabase(admin, name, inject("pgTemplate"));
    url = databaseUrl(admin, name);
    process.env.DATABASE_URL = url;
  } else {
    delete process.env.DATABASE_URL;
  }
  process.env.DATABASE_PATH = file;
  resetEnvForTests();
  clearListCache(); // memoised lists belong to the previous database
  resetCatalogGenerationForTests(); // and so does the catalog token last seen
  resetActivityForTests(); // and what this process knew of users
  void closeDb();
  getDb();
  return {
    file,
    dir,
    url,
    async cleanup() {
      await closeDb();
      if (name) dropDatabase(inject("pgAdminUrl"), name);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Environment for a child process that must see a second, empty database: another SQLite file in
 * `dir`, or another clone of the migrated PostgreSQL template (dropped with the server).
 */
export function emptyDatabaseEnv(dir: string): Record<string, string> {
  if (!testingPostgres()) {
    // a database that exists and holds nothing (read-only commands refuse a path with no file)
    const file = path.join(dir, `empty-${randomBytes(4).toString("hex")}.db`);
    openDatabase(file).$client.close();
    return { DATABASE_PATH: file };
  }
  const admin = inject("pgAdminUrl");
  const name = `e_${process.pid}_${randomBytes(4).toString("hex")}`;
  createDatabase(admin, name, inject("pgTemplate"));
  return { DATABASE_URL: databaseUrl(admin, name) };
}
