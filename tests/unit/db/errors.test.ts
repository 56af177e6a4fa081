import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeDatabaseFailure } from "@/lib/db/errors";
import { resetEnvForTests } from "@/lib/env";

// The one line a script prints for a database failure that comes from where the database is.

const sqliteError = (code: string, message: string) => Object.assign(new Error(message), { code });

const saved = { path: process.env.DATABASE_PATH, url: process.env.DATABASE_URL };
const restore = (name: "DATABASE_PATH" | "DATABASE_URL", value: string | undefined) => {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
};
beforeAll(() => {
  process.env.DATABASE_PATH = "/srv/matinee/app.db";
  delete process.env.DATABASE_URL;
  resetEnvForTests();
});
afterAll(() => {
  restore("DATABASE_PATH", saved.path);
  restore("DATABASE_URL", saved.url);
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

describe("describeDatabaseFailure: the codes of the database this process runs on", () => {
  const socket = (code: string) => Object.assign(new Error(`connect ${code} 10.0.0.5:5432`), { code });
  afterAll(() => {
    delete process.env.DATABASE_URL;
    resetEnvForTests();
  });

  it("on SQLite, a socket error is not the database's (was: described as PostgreSQL's, so an API 503)", () => {
    expect(describeDatabaseFailure(socket("ECONNRESET"))).toBeNull();
  });

  it("on PostgreSQL, connection, login and shutdown codes and node-postgres' lost connections are; a protocol violation or a SQLite code is not", () => {
    process.env.DATABASE_URL = "postgres://matinee:secret@db.internal:5432/matinee";
    resetEnvForTests();
    const db = "the PostgreSQL database postgres://matinee@db.internal:5432/matinee cannot be used";
    expect(describeDatabaseFailure(socket("ECONNREFUSED"))).toBe(`${db}: connect ECONNREFUSED 10.0.0.5:5432 (ECONNREFUSED)`);
    expect(describeDatabaseFailure(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }))).toMatch(/\(57P01\)$/);
    expect(describeDatabaseFailure(Object.assign(new Error("connection failure"), { code: "08006" }))).toMatch(/\(08006\)$/);
    // drizzle's wrapper around node-postgres' own words, which carry no code
    const lost = Object.assign(new Error("Failed query: select 1"), { cause: new Error("Connection terminated unexpectedly") });
    expect(describeDatabaseFailure(lost)).toBe(`${db}: Connection terminated unexpectedly`);
    expect(describeDatabaseFailure(new Error("timeout exceeded when trying to connect"))).toBe(`${db}: timeout exceeded when trying to connect`);
    expect(describeDatabaseFailure(Object.assign(new Error("bind message has 70000 parameter formats"), { code: "08P01" }))).toBeNull();
    expect(describeDatabaseFailure(sqliteError("SQLITE_BUSY", "database is locked"))).toBeNull();
  });
});
