export { getDb, closeDb, openDatabase, type Db } from "./client";
export * as schema from "./schema";
