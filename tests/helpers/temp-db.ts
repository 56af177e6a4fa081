import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeDb, getDb } from "@/lib/db";
import { resetEnvForTests } from "@/lib/env";

/**
 * Point DATABASE_PATH at a fresh temporary SQLite file (migrated) and return a cleanup function.
 * Use in beforeAll/beforeEach; each test file runs in its own process (vitest forks pool).
 */
export function useTempDb(): { file: string; dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "matinee-test-"));
  const file = path.join(dir, "test.db");
  process.env.DATABASE_PATH = file;
  resetEnvForTests();
  closeDb();
  getDb();
  return {
    file,
    dir,
    cleanup() {
      closeDb();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
