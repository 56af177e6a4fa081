import { sql } from "drizzle-orm";
import { isPostgres, rawRows } from "@/lib/db";

// "The database is intact" after a process was killed mid-write, in either dialect: "ok", or the
// problems found. SQLite: PRAGMA integrity_check. PostgreSQL: amcheck (contrib, shipped with the
// server packages) over every table of the public schema (verify_heapam) and every B-tree index
// (bt_index_check, with heapallindexed: each heap tuple must be in the index).

export async function integrityCheck(): Promise<string> {
  if (!isPostgres()) {
    const rows = await rawRows<{ integrity_check: string }>(sql`pragma integrity_check`);
    return rows.map((r) => r.integrity_check).join("\n");
  }
  await rawRows(sql`create extension if not exists amcheck`);
  const heap = await rawRows<{ rel: string; msg: string }>(sql`
    select c.relname as rel, v.msg
    from pg_class c join pg_namespace n on n.oid = c.relnamespace, lateral verify_heapam(c.oid) v
    where n.nspname = 'public' and c.relkind = 'r'`);
  // bt_index_check raises an error on a corrupt index; a clean run returns one row per index.
  await rawRows(sql`
    select bt_index_check(c.oid, true)
    from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am a on a.oid = c.relam
      join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and a.amname = 'btree'`);
  return heap.length === 0 ? "ok" : heap.map((h) => `${h.rel}: ${h.msg}`).join("\n");
}
