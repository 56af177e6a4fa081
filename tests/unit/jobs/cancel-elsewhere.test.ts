import { spawn } from "node:child_process";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { jobs } from "@/lib/db/schema";
import { CANCEL_SETTLE_MS, createJob, failStaleJobs, getJob, readCancelRequest, requestCancel } from "@/lib/jobs/queries";
import { settleWorkerExit } from "@/lib/jobs/worker-process";
import { createModelVersion, getModelVersion } from "@/lib/mlops/registry";
import { useTempDb } from "../../helpers/temp-db";

// Stopping a job that runs on another host, where no SIGTERM from this one reaches: the request is
// written to the job's row, the job's process reads it (training: from its heartbeat thread, even
// in a synchronous fit), and the stale-job sweep records the run cancelled once it has gone quiet.
let tmp: ReturnType<typeof useTempDb>;
beforeAll(() => {
  tmp = useTempDb();
});
afterAll(() => tmp.cleanup());

async function elsewhere(kind: "train" | "crawl", heartbeatAgoMs: number) {
  const job = await createJob(kind);
  await getDb().update(jobs).set({ workerHost: "another-host", workerPid: 4242, heartbeatAt: Date.now() - heartbeatAgoMs }).where(eq(jobs.id, job.id));
  return job.id;
}

describe("a cancel request in the job's row", () => {
  it("is recorded for a running job only, with who asked, without touching its heartbeat", async () => {
    const id = await elsewhere("crawl", 5_000);
    const before = (await getJob(id))!.heartbeatAt;
    expect(await readCancelRequest(id)).toBeNull();
    expect(await requestCancel(id, "admin@example.com")).toBe(true);
    expect(await readCancelRequest(id)).toEqual({ at: expect.any(Number), by: "admin@example.com" });
    expect((await getJob(id))!.heartbeatAt).toBe(before);
    await getDb().update(jobs).set({ status: "succeeded" }).where(eq(jobs.id, id));
    expect(await requestCancel(id, "admin@example.com")).toBe(false);
  });

  it("settles a quiet job someone asked to stop as cancelled after CANCEL_SETTLE_MS, not the 60 s of a dead one", async () => {
    const quiet = CANCEL_SETTLE_MS + 5_000;
    const asked = await elsewhere("train", quiet);
    const version = await createModelVersion({ algorithm: "ease", params: {}, jobId: asked });
    const notAsked = await elsewhere("train", quiet);
    const stillBeating = await elsewhere("crawl", 1_000);
    await requestCancel(asked, "admin@example.com");
    await requestCancel(stillBeating, "admin@example.com");

    expect(await failStaleJobs()).toBe(1);
    expect(await getJob(asked)).toMatchObject({ status: "cancelled", error: "cancelled by admin@example.com" });
    expect((await getModelVersion(version.id))?.status).toBe("failed"); // its half-trained version goes with it
    expect((await getJob(notAsked))?.status).toBe("running"); // a quiet job nobody stopped gets the full minute
    expect((await getJob(stillBeating))?.status).toBe("running"); // its process is alive: it records its own outcome
  });

  it("ends a training process from its heartbeat thread, in the middle of a synchronous stretch", async () => {
    const id = await elsewhere("train", 0);
    const child = spawn(process.execPath, ["--import", "tsx", "tests/unit/jobs/fixtures/heartbeat-cancel.ts", String(id)], {
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const ended = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
    await new Promise((resolve) => child.stdout.once("data", resolve));
    // the thread beats while the main thread spins: the process is alive and says so
    const first = (await getJob(id))!.heartbeatAt!;
    const deadline = Date.now() + 10_000;
    while ((await getJob(id))!.heartbeatAt === first && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect((await getJob(id))!.heartbeatAt).toBeGreaterThan(first);

    await requestCancel(id, "admin@example.com");
    const asked = Date.now();
    expect(await ended, stderr).toBe("SIGTERM");
    expect(Date.now() - asked).toBeLessThan(5_000); // the fixture would have spun for 20 s
  }, 30_000);
});

describe("a worker that ended before its job (the web server that started it records why)", () => {
  it("records the job cancelled when an admin had asked to stop it, failed otherwise", async () => {
    const asked = await elsewhere("train", 0);
    await requestCancel(asked, "admin@example.com");
    await settleWorkerExit(asked, "worker stopped by SIGTERM before the job finished");
    expect(await getJob(asked)).toMatchObject({ status: "cancelled", error: "cancelled by admin@example.com" });

    const crashed = await elsewhere("train", 0);
    await settleWorkerExit(crashed, "worker exited with code 1 before the job finished");
    expect(await getJob(crashed)).toMatchObject({ status: "failed", error: "worker exited with code 1 before the job finished" });
  });
});
