import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { migrationsFolder, openDatabase } from "@/lib/db/client";
import { migrationsAppliedAtOpen } from "@/lib/db";
import { migratePostgres } from "@/lib/db/postgres";
import { createDatabase, databaseUrl, dropDatabase } from "../../helpers/pg-databases";
import { testingPostgres } from "../../helpers/temp-db";

// prepare says "migrations: applied N" on a new or older database and "up to date" otherwise; it
// said "up to date" even on the run that had just created every table.

const journal = (dialect: "sqlite" | "postgres") =>
  (JSON.parse(fs.readFileSync(path.join(migrationsFolder(dialect), "meta", "_journal.json"), "utf8")) as { entries: unknown[] }).entries.length;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "matinee-migrations-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.runIf(!testingPostgres())("SQLite: migrations applied on open", () => {
  it("counts every migration on a new file, none on reopening it", () => {
    const file = path.join(dir, "fresh.db");
    const first = openDatabase(file);
    expect(migrationsAppliedAtOpen(first)).toBe(journal("sqlite"));
    first.$client.close();
    const again = openDatabase(file);
    expect(migrationsAppliedAtOpen(again)).toBe(0);
    again.$client.close();
  });
});

describe.runIf(testingPostgres())("PostgreSQL: migratePostgres", () => {
  it("returns how many migrations it applied: all on an empty database, none the second time", async () => {
    const admin = inject("pgAdminUrl");
    const name = `m_${process.pid}_${randomBytes(4).toString("hex")}`;
    createDatabase(admin, name);
    try {
      const url = databaseUrl(admin, name);
      expect(await migratePostgres(url)).toBe(journal("postgres"));
      expect(await migratePostgres(url)).toBe(0);
    } finally {
      dropDatabase(admin, name);
    }
  });
});
