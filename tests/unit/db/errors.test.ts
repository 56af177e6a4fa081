import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeDatabaseFailure } from "@/lib/db/errors";
import { resetEnvForTests } from "@/lib/env";

// The one line a script prints for a database failure that comes from where the database is.

const sqliteError = (code: string, message: string) => Object.assign(new Error(message), { code });

let saved: string | undefined;
beforeAll(() => {
  saved = process.env.DATABASE_PATH;
  process.env.DATABASE_PATH = "/srv/matinee/app.db";
  resetEnvForTests();
});
afterAll(() => {
  if (saved === undefined) delete process.env.DATABASE_PATH;
  else process.env.DATABASE_PATH = saved;
  resetEnvForTests();
});

describe("describeDatabaseFailure (SQLite)", () => {
  it("says a locked database is busy with another writer, not broken (was: 'cannot be used: database is locked')", () => {
    const failed = Object.assign(new Error("Failed query: insert …"), { cause: sqliteError("SQLITE_BUSY", "database is locked") });
    expect(describeDatabaseFailure(failed)).toBe(
      "the SQLite database /srv/matinee/app.db is busy: another process kept it locked for writing past 5 s (SQLITE_BUSY); try again when that import, simulation or training run is done",
    );
  });

  it("names the file and the cause otherwise, with the permissions hint where it helps", () => {
    expect(describeDatabaseFailure(sqliteError("SQLITE_CANTOPEN", "unable to open database file"))).toBe(
      "the SQLite database /srv/matinee/app.db cannot be used: unable to open database file (SQLITE_CANTOPEN); check that the file and its folder can be read and written by this user",
    );
    expect(describeDatabaseFailure(sqliteError("SQLITE_FULL", "database or disk is full"))).toBe("the SQLite database /srv/matinee/app.db cannot be used: database or disk is full (SQLITE_FULL)");
    expect(describeDatabaseFailure(new Error("a bug"))).toBeNull();
  });
});
