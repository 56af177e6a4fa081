import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { closeDb, getDb } from "@/lib/db";
import { jobs } from "@/lib/db/schema";
import { createModelVersion } from "@/lib/mlops/registry";
import { listRuns } from "@/lib/mlops/runs";
import { runTraining } from "@/lib/recs/train";
import { emptyDatabaseEnv } from "../helpers/temp-db";
import { useTrainedDb } from "../helpers/trained-db";

// `npm run runs` is `tsx scripts/runs.ts`; `node --import tsx` runs the same script in one process.
const runsCli = (db: string | Record<string, string>, args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/runs.ts", ...args], {
    env: { ...process.env, ...(typeof db === "string" ? { DATABASE_PATH: db } : db) },
    encoding: "utf8",
  });

describe("npm run runs", () => {
  let tmp: Awaited<ReturnType<typeof useTrainedDb>>;
  let ndcg: { popularity: number; knn: number };
  beforeAll(async () => {
    tmp = await useTrainedDb({ users: 100, model: "popularity" }); // run 1
    await runTraining({ model: "item-knn", topN: 10, neighbors: 10, force: true }); // run 2, serving
    const { items } = await listRuns();
    ndcg = { knn: items[0].metrics["ndcg@10"], popularity: items[1].metrics["ndcg@10"] };
    // run 1 as the retrain schedule's job would have recorded it (enqueueJob's { trigger: "schedule" })
    await getDb().update(jobs).set({ stats: { trigger: "schedule" } }).where(eq(jobs.id, items[1].jobId!));
    closeDb(); // the child processes own the database from here
  }, 120_000);
  afterAll(() => tmp.cleanup());

  it("lists the runs, newest first, with the serving one marked", () => {
    const res = runsCli(tmp.file, []);
    expect(res.status, res.stderr).toBe(0);
    const lines = res.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/run\s+algorithm\s+status\s+ndcg@10\s+duration/);
    expect(lines[1]).toMatch(/^\*\s+2\s+item-knn\s+ready · production \(serving\)\s+/);
    expect(lines[1]).toContain(ndcg.knn.toFixed(4));
    expect(lines[2]).toMatch(/^\s+1\s+popularity\s+ready · archived\s+/);
    expect(lines[0]).toMatch(/started\s+by$/);
    expect(lines[1]).toMatch(/\s+the CLI$/);
    expect(lines[2]).toMatch(/\s+the retrain schedule$/);
    expect(res.stdout).toMatch(/\* serving: run 2/);
  });

  it("--compare A B prints the runs side by side with deltas against A", () => {
    const res = runsCli(tmp.file, ["--compare", "1", "2"]);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/run 1 \(baseline\)\s+run 2/);
    const row = (label: string) => res.stdout.split("\n").find((l) => l.trimStart().startsWith(`${label} `)) ?? "";
    expect(row("algorithm")).toMatch(/popularity\s+item-knn\s+\*$/);
    expect(row("topN")).toMatch(/30\s+10\s+\*$/);
    expect(row("validationRatio")).toMatch(/0\.75\s+0\.75$/); // same in both: not marked
    // who started each: the schedule's run by name, not "CLI / scheduler"
    expect(row("by")).toMatch(/^by\s+the retrain schedule\s+the CLI$/);
    const delta = ndcg.knn - ndcg.popularity;
    expect(row("ndcg@10")).toContain(`${ndcg.popularity.toFixed(4)}`);
    expect(row("ndcg@10")).toContain(`${ndcg.knn.toFixed(4)} (${delta >= 0 ? "+" : "−"}${Math.abs(delta).toFixed(4)}`);
    expect(res.stdout).toMatch(/Same training data in every run/);
  });

  it("--json prints the comparison as JSON", () => {
    const res = runsCli(tmp.file, ["--compare", "2,1", "--json"]);
    expect(res.status, res.stderr).toBe(0);
    const body = JSON.parse(res.stdout);
    expect(body.baseline).toBe(2);
    expect(body.runs.map((r: { id: number }) => r.id)).toEqual([2, 1]);
  });

  it.each([
    [["--compare", "1", "99"], /error: There is no run 99/],
    [["--compare", "1"], /--compare: must name at least 2 runs/],
    // one line about the flag, not about an element of it ("--compare.1: …")
    [["--compare", "1", "x"], /^error: invalid arguments: --compare: must be run ids \(version numbers such as 3\)\n/],
    [["--limit", "0"], /--limit/],
    [["--compare", "1", "2", "--limit", "5"], /^error: --limit does not apply to --compare/],
    [["--nope"], /--nope/],
  ])("%j exits 2 with a clear message", (args, message) => {
    const res = runsCli(tmp.file, args);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(res.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect(res.stdout).toBe("");
  });

  it("shows a killed worker's training run as failed, as the Jobs API does, not `training` until the next run", async () => {
    // the worker ran on another host (no pid to look at there) and has sent no heartbeat for 5 minutes
    const long = Date.now() - 5 * 60_000;
    const [job] = await getDb()
      .insert(jobs)
      .values({ kind: "train", status: "running", params: { model: "ease" }, startedAt: long, heartbeatAt: long, workerPid: 4242, workerHost: "another-host" })
      .returning();
    const version = await createModelVersion({ algorithm: "ease", params: {}, jobId: job.id });
    closeDb();
    const res = runsCli(tmp.file, []);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout.split("\n")[1]).toMatch(new RegExp(`^\\s+${version.id}\\s+ease\\s+failed\\s+`));
    expect(res.stdout).toContain(`run ${version.id} failed: abandoned: no heartbeat (process killed?)`);
  });

  it("says what to do on a database without runs", () => {
    const res = runsCli(emptyDatabaseEnv(tmp.dir), []);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/no training runs yet/);
  });
});
