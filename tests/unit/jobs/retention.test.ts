import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { jobs } from "@/lib/db/schema";
import { resetEnvForTests } from "@/lib/env";
import { workerLogDir, workerLogPath } from "@/lib/jobs/log-files";
import { createJob, finishJob, getJob } from "@/lib/jobs/queries";
import { pruneJobLogs } from "@/lib/jobs/retention";
import { useTempDb } from "../../helpers/temp-db";

// Job logs are kept JOB_LOG_DAYS (default 30) after the job finished: the row's log text and the
// worker's output file go, the row stays. Runs on both databases (vitest.config.mts).

const DAY = 86_400_000;
const now = Date.now();

let tmp: ReturnType<typeof useTempDb>;
beforeAll(() => {
  tmp = useTempDb();
});
afterAll(() => tmp.cleanup());
beforeEach(async () => {
  delete process.env.JOB_LOG_DAYS;
  resetEnvForTests();
  await getDb().delete(jobs);
  fs.rmSync(workerLogDir(), { recursive: true, force: true });
});

async function job(status: "succeeded" | "running", finishedDaysAgo: number | null, log = "a line\n"): Promise<number> {
  const [row] = await getDb()
    .insert(jobs)
    .values({ kind: "train", status, log, message: "done", error: null, stats: { n: 1 }, createdAt: now - 90 * DAY, finishedAt: finishedDaysAgo === null ? null : now - finishedDaysAgo * DAY })
    .returning({ id: jobs.id });
  return row.id;
}

function logFile(jobId: number, writtenDaysAgo: number): string {
  const file = workerLogPath(jobId);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, "worker output\n");
  const at = new Date(now - writtenDaysAgo * DAY);
  fs.utimesSync(file, at, at);
  return file;
}

describe("pruneJobLogs", () => {
  it("clears the log of jobs finished more than 30 days ago and keeps their rows; recent and running jobs keep theirs", async () => {
    const old = await job("succeeded", 31);
    const recent = await job("succeeded", 29);
    const running = await job("running", null);
    expect(await pruneJobLogs(now)).toMatchObject({ logsCleared: 1 });
    const oldRow = await getJob(old);
    expect(oldRow).toMatchObject({ status: "succeeded", log: "", message: "done", stats: { n: 1 } });
    expect((await getJob(recent))?.log).toBe("a line\n");
    expect((await getJob(running))?.log).toBe("a line\n");
    expect(await pruneJobLogs(now)).toMatchObject({ logsCleared: 0 }); // nothing left to clear
  });

  it("deletes worker output files last written more than 30 days ago, and nothing else in the folder", async () => {
    const old = logFile(1, 31);
    const recent = logFile(2, 29);
    const other = path.join(workerLogDir(), "notes.txt");
    fs.writeFileSync(other, "keep");
    fs.utimesSync(other, new Date(now - 90 * DAY), new Date(now - 90 * DAY));
    expect(await pruneJobLogs(now)).toMatchObject({ filesDeleted: 1 });
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(recent)).toBe(true);
    expect(fs.existsSync(other)).toBe(true);
  });

  it("keeps an open job's file however long it has been quiet", async () => {
    const running = await job("running", null);
    const file = logFile(running, 60);
    expect(await pruneJobLogs(now)).toMatchObject({ filesDeleted: 0 });
    expect(fs.existsSync(file)).toBe(true);
  });

  it("follows JOB_LOG_DAYS", async () => {
    process.env.JOB_LOG_DAYS = "7";
    resetEnvForTests();
    const id = await job("succeeded", 8);
    const file = logFile(id, 8);
    expect(await pruneJobLogs(now)).toEqual({ logsCleared: 1, filesDeleted: 1 });
    expect(fs.existsSync(file)).toBe(false);
  });

  it("is harmless before any worker ran (no logs folder)", async () => {
    expect(await pruneJobLogs(now)).toEqual({ logsCleared: 0, filesDeleted: 0 });
  });
});

describe("finishJob", () => {
  it("prunes old logs as a later job finishes", async () => {
    const old = await job("succeeded", 40);
    const file = logFile(old, 40);
    const next = await createJob("simulate", {});
    await finishJob(next.id, { status: "succeeded" });
    expect((await getJob(old))?.log).toBe("");
    expect(fs.existsSync(file)).toBe(false);
    const [row] = await getDb().select({ status: jobs.status }).from(jobs).where(eq(jobs.id, next.id));
    expect(row.status).toBe("succeeded");
  });
});
