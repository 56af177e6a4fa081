import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCatalog } from "@/lib/catalog/seed";
import { getDb } from "@/lib/db";
import { jobs } from "@/lib/db/schema";
import { getJob } from "@/lib/jobs/queries";
import { claimNextJob } from "@/lib/jobs/queue";
import { runNextJob } from "@/lib/jobs/runner";
import { useTempDb } from "../../helpers/temp-db";

// The database-backed queue as several workers use it (one per app instance or worker pod):
// claimNextJob takes the oldest queued job; FOR UPDATE SKIP LOCKED on PostgreSQL, one exclusive
// UPDATE on SQLite. Runs on both databases (vitest.config.mts).

let tmp: ReturnType<typeof useTempDb>;
beforeAll(() => {
  tmp = useTempDb();
});
afterAll(() => tmp.cleanup());

async function queue(n: number): Promise<number[]> {
  const rows = await getDb()
    .insert(jobs)
    .values(Array.from({ length: n }, () => ({ kind: "simulate" as const, status: "queued" as const, params: { users: 10, seed: 1, maxPerUser: 20 }, heartbeatAt: Date.now() })))
    .returning({ id: jobs.id });
  return rows.map((r) => r.id);
}

describe("claimNextJob", () => {
  it("hands out queued jobs oldest first, each once, and null when none is left", async () => {
    const ids = await queue(3);
    const got = [await claimNextJob(), await claimNextJob(), await claimNextJob()].map((j) => j?.id);
    expect(got).toEqual(ids);
    expect(await claimNextJob()).toBeNull();
    expect(await claimNextJob(["train"])).toBeNull();
    expect((await getJob(ids[0]))?.status).toBe("running");
  });

  it("four worker processes draining 40 jobs at once: every job claimed exactly once", async () => {
    await getDb().delete(jobs);
    const ids = await queue(40);
    const at = Date.now() + 3_000; // every process is up and waiting by then
    const outputs = await Promise.all(
      Array.from({ length: 4 }, () => {
        const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "tests/unit/jobs/fixtures/claim-next.ts", String(at)], { env: process.env });
        let out = "";
        let err = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (err += d));
        return new Promise<number[]>((resolve, reject) => child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(err)))));
      }),
    );
    const all = outputs.flat().sort((a, b) => a - b);
    expect(all).toEqual(ids);
    // each worker saw its own jobs in queue order
    for (const got of outputs) expect(got).toEqual([...got].sort((a, b) => a - b));
  }, 60_000);

  it("runNextJob runs the oldest queued job to success, then finds the queue empty", async () => {
    await getDb().delete(jobs);
    await seedCatalog();
    const [id] = await queue(1);
    const job = await runNextJob();
    expect(job).toMatchObject({ id, status: "succeeded" });
    expect(await runNextJob()).toBeNull();
  }, 60_000);
});
