import { getDb, isPostgres, type Db } from "./client";

// Prepared statements for hot paths, built once per database client (tests switch clients).
// `build` returns an unprepared query; it is prepared here because the dialects differ:
// PostgreSQL prepared statements carry a name (prepared once per pooled connection), SQLite's do not.
// Run the result with `.execute(params)` (rows on both dialects).
const byClient = new WeakMap<Db, Map<string, unknown>>();

type Preparable = { prepare: (...args: never[]) => unknown };

export function prepared<Q extends Preparable>(name: string, build: (db: Db) => Q): ReturnType<Q["prepare"]> {
  const db = getDb();
  let statements = byClient.get(db);
  if (!statements) byClient.set(db, (statements = new Map()));
  let stmt = statements.get(name) as ReturnType<Q["prepare"]> | undefined;
  if (stmt === undefined) {
    const query = build(db) as unknown as { prepare: (name?: string) => ReturnType<Q["prepare"]> };
    stmt = isPostgres() ? query.prepare(`matinee_${name.replace(/\W/g, "_")}`) : query.prepare();
    statements.set(name, stmt);
  }
  return stmt;
}
