import { desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertMovies } from "@/lib/catalog/upsert";
import { getDb, rawRows } from "@/lib/db";
import { interactions, jobs, users } from "@/lib/db/schema";
import { countInteractions, countUsers, recordInteraction } from "@/lib/interactions/queries";
import { createJob, getJob, requestCancel } from "@/lib/jobs/queries";
import { runSimulation, SimulationCancelledError, simulateIfEmpty } from "@/lib/simulate/run";
import { leaveJobRunning } from "../../helpers/abandoned-job";
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
    // a run interrupted earlier (Ctrl-C) left its job `running`: this run settles it, as a crawl or training run would
    const interrupted = await leaveJobRunning("simulate", { users: 600, seed: 5 });
    const progress: number[] = [];
    const summary = await runSimulation({ users: 600, maxPerUser: 10, seed: 5 }, { onProgress: (done) => void progress.push(done) });

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
    const [left] = await getDb().select().from(jobs).where(eq(jobs.id, interrupted.id));
    expect(left).toMatchObject({ status: "failed", error: `abandoned: process ${interrupted.workerPid} is gone (killed?)` });
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

  it("re-running puts back what A/B traffic changed: a newer visit's row of a generated pair, and a new pair (QA)", async () => {
    const [user] = await getDb().select().from(users).where(eq(users.externalId, "sim:1"));
    const history = async () =>
      (await getDb().select().from(interactions).where(eq(interactions.userId, user.id)))
        .map((r) => `${r.movieId}:${r.kind}:${r.value}:${r.createdAt}:${r.source}`)
        .sort();
    const seeded = await history();
    const [watched] = await getDb().select().from(interactions).where(eq(interactions.userId, user.id)).limit(1);
    // what `npm run simulate -- --traffic` writes: simulated rows stamped now
    const now = Date.now();
    await getDb()
      .update(interactions)
      .set({ createdAt: now, value: watched.kind === "rating" ? 0.5 : watched.value })
      .where(eq(interactions.id, watched.id));
    await getDb().insert(interactions).values({ userId: user.id, movieId: watched.movieId, kind: "like", source: "simulated", createdAt: now }); // the simulator generates no likes
    expect(await history()).not.toEqual(seeded);

    const again = await runSimulation({ users: 600, maxPerUser: 10, seed: 5 });
    expect(again.interactionsRemoved).toBe(2);
    expect(await history()).toEqual(seeded);
  });

  it("waits for an async progress hook before the next batch and before recording the outcome", async () => {
    const seen: string[] = [];
    const summary = await runSimulation(
      { users: 600, maxPerUser: 10, seed: 5 },
      {
        onProgress: async (done) => {
          await new Promise((r) => setTimeout(r, 30)); // a slow write, as on PostgreSQL
          const [job] = await getDb().select().from(jobs).orderBy(desc(jobs.id)).limit(1);
          seen.push(`${done}:${job.status}`);
        },
      },
    );
    // the job was still running when each hook finished, the last one included
    expect(seen).toEqual(["500:running", "600:running"]);
    const [job] = await getDb().select().from(jobs).where(eq(jobs.id, summary.jobId));
    expect(job.status).toBe("succeeded");
  });

  it("a different seed replaces each simulated user's history but keeps their app signals", async () => {
    const [user] = await getDb().select().from(users).where(eq(users.externalId, "sim:1"));
    await recordInteraction({ kind: "like", userId: user.id, movieId: 299 });
    const other = await runSimulation({ users: 600, maxPerUser: 10, seed: 6 });
    expect(other.interactionsRemoved).toBeGreaterThan(0);
    // the job says what it deleted, as the CLI does ("N removed"; was: only users and interactions)
    const [job] = await getDb().select().from(jobs).where(eq(jobs.id, other.jobId));
    expect(job.message).toBe(
      `600 users, ${(other.watches + other.ratings).toLocaleString("en-US")} interactions, ${other.interactionsRemoved.toLocaleString("en-US")} removed`,
    );
    expect(job.stats).toMatchObject({ interactionsRemoved: other.interactionsRemoved });
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

  it("simulateIfEmpty leaves a simulation someone cancelled, and finishes one that failed part-way (a first prepare stopped)", async () => {
    const options = { users: 1_200, maxPerUser: 8, seed: 21 };
    const controller = new AbortController();
    // stopped after the first batch of 500, as a killed prepare leaves it
    await expect(runSimulation(options, { signal: controller.signal, onProgress: () => controller.abort() })).rejects.toThrow(SimulationCancelledError);
    expect(await countUsers({ source: "simulated" })).toBe(600); // this file's earlier 600, rewritten
    const interrupted = await getDb().select().from(jobs).orderBy(desc(jobs.id)).limit(1);
    expect(interrupted[0]).toMatchObject({ status: "cancelled" });

    // cancelled on purpose: a restart does not finish it
    expect(await simulateIfEmpty(options)).toMatchObject({ skipped: true });
    // failed part-way (a crash, or a killed prepare once its stale job is noticed): finished
    await getDb().update(jobs).set({ status: "failed" }).where(eq(jobs.id, interrupted[0].id));
    // other options than the interrupted run's: someone else's data, left alone
    expect(await simulateIfEmpty({ ...options, seed: 22 })).toMatchObject({ skipped: true });
    const resumed = await simulateIfEmpty(options);
    expect(resumed).toMatchObject({ skipped: false, resumed: true, users: 1_200 });
    expect(await countUsers({ source: "simulated" })).toBe(1_200);
    // done now: the next prepare skips it
    expect(await simulateIfEmpty(options)).toMatchObject({ skipped: true });
  });

  it("stops after the batch in which an admin asked to stop it through its job row (from any instance)", async () => {
    const options = { users: 1_200, maxPerUser: 8, seed: 31 };
    const job = await createJob("simulate", options); // as a worker that claimed it would run it
    const run = runSimulation(options, { jobId: job.id, onProgress: async (done) => void (done === 500 && (await requestCancel(job.id, "admin@example.com"))) });
    await expect(run).rejects.toThrow(SimulationCancelledError);
    expect(await getJob(job.id)).toMatchObject({ status: "cancelled", error: "cancelled by admin@example.com", message: "stopped at 500/1,200 users; re-run to finish" });
  });

  it("simulateIfEmpty also finishes a run whose process was killed (its job left running)", async () => {
    const options = { users: 30, maxPerUser: 5, seed: 23 };
    await runSimulation(options);
    // what SIGKILL leaves: the job still `running`, its process gone
    const [last] = await getDb().select().from(jobs).orderBy(desc(jobs.id)).limit(1);
    await getDb().update(jobs).set({ status: "running", finishedAt: null, workerPid: 2_147_483_000 }).where(eq(jobs.id, last.id));
    expect(await simulateIfEmpty(options)).toMatchObject({ skipped: false, resumed: true });
  });
});
