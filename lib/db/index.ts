export { getDb, closeDb, openDatabase, dialect, isPostgres, pgPool, sqliteHandle, type Db, type Dialect } from "./client";
export { transaction, affectedRows, rawRows } from "./tx";
export * as schema from "./schema";
