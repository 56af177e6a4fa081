import { count, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { readArraysOffThread } from "@/lib/db/off-thread";
import { users } from "@/lib/db/schema";
import { testingPostgres, useTempDb } from "../../helpers/temp-db";

// Long reads run where they cannot hold the server's event loop: on SQLite in a thread of their
// own with their own connection, on PostgreSQL on the pool.

let tmp: ReturnType<typeof useTempDb>;
beforeAll(async () => {
  tmp = useTempDb();
  await getDb()
    .insert(users)
    .values([1, 2, 3].map((i) => ({ name: `u${i}`, source: "simulated" as const })));
});
afterAll(() => tmp.cleanup());

// ~3M rows generated and counted: a read of a few hundred ms or more on either database
const SLOW_COUNT = "with recursive c(x) as (select 1 union all select x + 1 from c where x < 3000000) select count(*) from c";

describe("readArraysOffThread", () => {
  it("answers a query builder's statements with the rows the main connection reads, as arrays", async () => {
    const db = getDb();
    const grouped = db.select({ source: users.source, n: count() }).from(users).groupBy(sql`1`);
    const byName = db.select({ id: users.id, name: users.name }).from(users).where(sql`${users.name} > ${"u1"}`).orderBy(users.id);
    const [a, b] = await readArraysOffThread([grouped.toSQL(), byName.toSQL()]);
    expect(a.map(([source, n]) => [source, Number(n)])).toEqual([["simulated", 3]]);
    expect(b.map(([, name]) => name)).toEqual(["u2", "u3"]);
    expect(b).toEqual((await byName).map((r) => [r.id, r.name]));
  });

  it("leaves the event loop free while the read runs (was: on SQLite, every timer and request waited for it)", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      const [[row]] = await readArraysOffThread([{ sql: SLOW_COUNT, params: [] }]);
      expect(Number(row[0])).toBe(3_000_000);
    } finally {
      clearInterval(timer);
    }
    // on the main connection better-sqlite3 would hold the thread for the whole read: none
    expect(ticks).toBeGreaterThanOrEqual(5);
  });

  it("rejects a failed read with the driver's code, as the main connection's errors carry it", async () => {
    const failed = await readArraysOffThread([{ sql: "select * from no_such_table", params: [] }]).catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as { code?: unknown }).code).toBe(testingPostgres() ? "42P01" : "SQLITE_ERROR");
    expect((failed as Error).message).toMatch(/no_such_table/);
  });
});
