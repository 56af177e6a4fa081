export { getDb, closeDb, openDatabase, migrationsAppliedAtOpen, dialect, isPostgres, pgPool, sqliteHandle, type Db, type Dialect } from "./client";
export { transaction, affectedRows, rawRows } from "./tx";
export * as schema from "./schema";
