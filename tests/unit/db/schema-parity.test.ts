import { getTableConfig as pgConfig, type PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { is, Table } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as pg from "@/lib/db/schema.pg";
import * as sqlite from "@/lib/db/schema.sqlite";

// Queries are written once against the SQLite tables and run on PostgreSQL through the twins in
// schema.pg.ts (lib/db/schema.ts binds one set per process). That only works while the two
// describe the same tables: same names, columns, nullability, keys, indexes and foreign keys.

const tables = <T>(mod: Record<string, unknown>) => Object.fromEntries(Object.entries(mod).filter(([, v]) => is(v, Table))) as Record<string, T>;

type Shape = {
  name: string;
  columns: { name: string; notNull: boolean; primary: boolean; hasDefault: boolean | null }[];
  primaryKeys: string[][];
  indexes: { name: string; columns: string[]; unique: boolean; partial: boolean }[];
  foreignKeys: { columns: string[]; foreignTable: string; foreignColumns: string[]; onDelete: string | undefined }[];
};

function shape(c: ReturnType<typeof sqliteConfig> | ReturnType<typeof pgConfig>): Shape {
  return {
    name: c.name,
    // An SQLite INTEGER PRIMARY KEY always has an implicit default (the rowid); movie and genre ids
    // are TMDB's and always given, so defaults are compared for the other columns.
    columns: c.columns.map((col) => ({ name: col.name, notNull: col.notNull, primary: col.primary, hasDefault: col.primary ? null : col.hasDefault })).sort((a, b) => a.name.localeCompare(b.name)),
    primaryKeys: c.primaryKeys.map((pk) => pk.columns.map((col) => col.name)),
    indexes: c.indexes
      .map((ix) => ({
        name: ix.config.name ?? "",
        columns: ix.config.columns.map((col) => (col as { name: string }).name),
        unique: Boolean(ix.config.unique),
        partial: Boolean(ix.config.where),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    foreignKeys: c.foreignKeys
      .map((fk) => {
        const ref = fk.reference();
        return { columns: ref.columns.map((col) => col.name), foreignTable: (ref.foreignTable as unknown as { [k: symbol]: string })[Symbol.for("drizzle:Name")], foreignColumns: ref.foreignColumns.map((col) => col.name), onDelete: fk.onDelete };
      })
      .sort((a, b) => a.columns.join().localeCompare(b.columns.join())),
  };
}

describe("the PostgreSQL schema twin", () => {
  const lite = tables<SQLiteTable>(sqlite);
  const post = tables<PgTable>(pg);

  it("exports the same tables under the same names", () => {
    expect(Object.keys(post).sort()).toEqual(Object.keys(lite).sort());
    expect(Object.keys(lite).length).toBeGreaterThanOrEqual(19);
  });

  it.each(Object.keys(tables(sqlite)))("%s: same columns, keys, indexes and foreign keys", (name) => {
    expect(shape(pgConfig(post[name]))).toEqual(shape(sqliteConfig(lite[name])));
  });
});
