import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { jobs } from "@/lib/db/schema";
import { createJob, failStaleJobs, getJob } from "@/lib/jobs/queries";
import { failOpenJob } from "@/lib/jobs/queue";
import { completeModelVersion, createModelVersion, getModelVersion } from "@/lib/mlops/registry";
import { useTempDb } from "../../helpers/temp-db";

// A train job killed on another host: the stale-job sweep fails the job and, with it, the model
// version the run left in `training` (it used to stay `training` until the next run cleaned up).
let tmp: ReturnType<typeof useTempDb>;
beforeAll(() => {
  tmp = useTempDb();
});
afterAll(() => tmp.cleanup());

/** A running job whose process is on another host and silent for ten minutes. */
async function deadJob(kind: "train" | "crawl") {
  const job = await createJob(kind);
  await getDb().update(jobs).set({ workerHost: "elsewhere", heartbeatAt: Date.now() - 600_000 }).where(eq(jobs.id, job.id));
  return job;
}

describe("failStaleJobs and model versions", () => {
  it("fails a dead train job's version with it, and no other version", async () => {
    const dead = await deadJob("train");
    const alive = await createJob("train"); // this process, alive: never swept
    const orphan = await createModelVersion({ algorithm: "ease", params: {}, jobId: dead.id });
    const live = await createModelVersion({ algorithm: "ease", params: {}, jobId: alive.id });
    const crawl = await deadJob("crawl");

    expect(await failStaleJobs()).toBe(2);
    expect((await getJob(dead.id))?.status).toBe("failed");
    expect((await getJob(crawl.id))?.status).toBe("failed");
    expect((await getJob(alive.id))?.status).toBe("running");
    expect((await getModelVersion(orphan.id))?.status).toBe("failed");
    expect((await getModelVersion(live.id))?.status).toBe("training");
  });

  it("records a dead job as ended at its last heartbeat, not when the sweep noticed (its \"took\" is the run's)", async () => {
    const dead = await deadJob("crawl");
    const { heartbeatAt } = (await getJob(dead.id))!;
    await failStaleJobs();
    expect(await getJob(dead.id)).toMatchObject({ status: "failed", finishedAt: heartbeatAt });
  });

  it("a run that finishes after its version was failed does not make it ready", async () => {
    const dead = await deadJob("train");
    const version = await createModelVersion({ algorithm: "ease", params: {}, jobId: dead.id });
    await failStaleJobs();
    await expect(completeModelVersion(version.id, { metrics: { "ndcg@10": 0.3 }, snapshot: {}, durationMs: 5 })).rejects.toThrow(/no longer training/);
    expect((await getModelVersion(version.id))?.status).toBe("failed");

    const fresh = await createModelVersion({ algorithm: "ease", params: {} });
    await completeModelVersion(fresh.id, { metrics: { "ndcg@10": 0.3 }, snapshot: {}, durationMs: 5 });
    expect((await getModelVersion(fresh.id))?.status).toBe("ready");
  });

  it("a worker that exits without finishing (failOpenJob) takes its version down too", async () => {
    const job = await createJob("train");
    const version = await createModelVersion({ algorithm: "ease", params: {}, jobId: job.id });
    expect(await failOpenJob(job.id, "worker exited with SIGKILL")).toBe(true);
    expect((await getModelVersion(version.id))?.status).toBe("failed");
    expect(await failOpenJob(job.id, "again")).toBe(false); // already finished: nothing changes
  });
});
