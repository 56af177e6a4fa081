import { createHash } from "node:crypto";
import Database from "better-sqlite3";

// What "the database is unchanged" means in the reliability tests: the same rows in every table
// (a sha256 per table over its rows in rowid order) and `PRAGMA integrity_check` = ok. Read with a
// separate read-only connection so the process under test keeps its own. SQLite files only: the
// reliability suites that use it run in the sqlite vitest project (not in POSTGRES_SUITES).

export type Fingerprint = { integrity: string; tables: Record<string, { rows: number; sha: string }> };

export function fingerprint(file: string, opts: { exclude?: string[] } = {}): Fingerprint {
  const db = new Database(file, { readonly: true });
  try {
    const names = (db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").pluck().all() as string[]).filter(
      (n) => !opts.exclude?.includes(n),
    );
    const tables: Fingerprint["tables"] = {};
    for (const name of names) {
      const hash = createHash("sha256");
      let rows = 0;
      for (const row of db.prepare(`select * from "${name}" order by rowid`).raw().iterate()) {
        hash.update(JSON.stringify(row, (_k, v) => (typeof v === "bigint" ? v.toString() : Buffer.isBuffer(v) ? v.toString("hex") : v)));
        hash.update("\n");
        rows++;
      }
      tables[name] = { rows, sha: hash.digest("hex") };
    }
    return { integrity: db.pragma("integrity_check", { simple: true }) as string, tables };
  } finally {
    db.close();
  }
}
