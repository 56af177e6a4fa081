import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertMovies } from "@/lib/catalog/upsert";
import { getDb, rawRows } from "@/lib/db";
import { interactions, jobs, users } from "@/lib/db/schema";
import { countInteractions, countUsers, recordInteraction } from "@/lib/interactions/queries";
import { runSimulation, simulateIfEmpty } from "@/lib/simulate/run";
import { useTempDb } from "../../helpers/temp-db";
import { smallCatalog } from "./fixtures";

let tmp: ReturnType<typeof useTempDb>;

beforeAll(() => {
  tmp = useTempDb();
});
afterAll(() => tmp.cleanup());

describe("runSimulation", () => {
  it("refuses to run on an empty catalog", async () => {
    await expect(runSimulation({ users: 5 })).rejects.toThrow(/catalog is empty/);
  });

  it("writes simulated users and their watches/ratings, and records a job", async () => {
    await upsertMovies(getDb(), smallCatalog(300));
    const progress: number[] = [];
    const summary = await runSimulation({ users: 600, maxPerUser: 10, seed: 5 }, { onProgress: (done) => progress.push(done) });

    expect(summary.usersCreated).toBe(600);
    expect(await countUsers({ source: "simulated" })).toBe(600);
    expect(await countInteractions({ source: "simulated", kind: "watch" })).toBe(summary.watches);
    expect(await countInteractions({ source: "simulated", kind: "rating" })).toBe(summary.ratings);
    expect(summary.interactionsAdded).toBe(summary.watches + summary.ratings);
    expect(progress).toEqual([500, 600]);

    const [first] = await getDb().select().from(users).where(eq(users.externalId, "sim:1"));
    expect(first.source).toBe("simulated");
    const [job] = await getDb().select().from(jobs).where(eq(jobs.id, summary.jobId));
    expect(job).toMatchObject({ kind: "simulate", status: "succeeded", progress: 1 });
    expect(job.stats).toMatchObject({ users: 600, watches: summary.watches });
    // the admin's Jobs outcome: numbers as the rest of the admin writes them (was "600 users, 4321 interactions")
    expect(summary.watches + summary.ratings).toBeGreaterThanOrEqual(1000);
    expect(job.message).toBe(`600 users, ${(summary.watches + summary.ratings).toLocaleString("en-US")} interactions`);
    expect(job.message).toMatch(/^600 users, \d{1,3},\d{3} interactions$/);
  });

  it("re-running with the same seed changes nothing and duplicates nothing", async () => {
    const before = await countInteractions();
    const again = await runSimulation({ users: 600, maxPerUser: 10, seed: 5 });
    expect(again).toMatchObject({ usersCreated: 0, interactionsAdded: 0, interactionsUpdated: 0, interactionsRemoved: 0 });
    expect(again.interactionsUnchanged).toBe(again.watches + again.ratings);
    expect(await countInteractions()).toBe(before);
    expect(await countUsers()).toBe(600);
  });

  it("a different seed replaces each simulated user's history but keeps their app signals", async () => {
    const [user] = await getDb().select().from(users).where(eq(users.externalId, "sim:1"));
    await recordInteraction({ kind: "like", userId: user.id, movieId: 299 });
    const other = await runSimulation({ users: 600, maxPerUser: 10, seed: 6 });
    expect(other.interactionsRemoved).toBeGreaterThan(0);
    expect(await countInteractions({ source: "simulated" })).toBe(other.watches + other.ratings);
    expect(await countInteractions({ source: "app" })).toBe(1);
    expect(await countUsers()).toBe(600);
  });

  it("simulateIfEmpty leaves a database with interactions alone", async () => {
    const res = await simulateIfEmpty({ users: 10 });
    expect(res.skipped).toBe(true);
    await getDb().delete(interactions);
    const fresh = await simulateIfEmpty({ users: 10, maxPerUser: 5 });
    expect(fresh).toMatchObject({ skipped: false, users: 10 });
    const [{ n }] = await rawRows<{ n: number }>(sql`select count(*) as n from interactions`);
    expect(n).toBeGreaterThan(0);
  });
});
