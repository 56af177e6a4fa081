import { getDb, type Db } from "./client";

// Prepared statements for hot paths, built once per database client (tests switch clients).
const byClient = new WeakMap<Db, Map<string, unknown>>();

export function prepared<T>(name: string, build: (db: Db) => T): T {
  const db = getDb();
  let statements = byClient.get(db);
  if (!statements) byClient.set(db, (statements = new Map()));
  let stmt = statements.get(name) as T | undefined;
  if (stmt === undefined) {
    stmt = build(db);
    statements.set(name, stmt);
  }
  return stmt;
}
