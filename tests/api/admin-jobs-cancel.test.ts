import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as cancel } from "@/app/api/admin/jobs/[id]/cancel/route";
import { registerAccount } from "@/lib/auth/accounts";
import { readSessionClaims } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { jobs, type Job } from "@/lib/db/schema";
import { getJob } from "@/lib/jobs/queries";
import { call, expectErrorShape } from "../helpers/call";
import { useTempDb } from "../helpers/temp-db";

// POST /api/admin/jobs/:id/cancel against real processes: a queued job is cancelled at once; a
// running one's worker gets SIGTERM (on this host only), as `kill <worker pid>` would send it.
vi.mock("@/lib/auth/session", () => ({ readSessionClaims: vi.fn(async () => null) }));
const signedInAs = (id: number | null) => vi.mocked(readSessionClaims).mockResolvedValue(id === null ? null : { id });

let tmp: ReturnType<typeof useTempDb>;
let adminId: number;
let userId: number;
const children: ChildProcess[] = [];
beforeAll(async () => {
  tmp = useTempDb();
  adminId = (await registerAccount({ email: "admin@example.com", password: "password-1" })).id;
  userId = (await registerAccount({ email: "user@example.com", password: "password-2" })).id;
});
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await tmp.cleanup();
});
beforeEach(async () => {
  signedInAs(adminId);
  await getDb().delete(jobs);
});

const post = (id: number) => call(cancel, `/api/admin/jobs/${id}/cancel`, { method: "POST", params: { id: String(id) } });

async function job(values: Partial<Job> & Pick<Job, "kind" | "status">): Promise<number> {
  const [row] = await getDb()
    .insert(jobs)
    .values({ params: {}, heartbeatAt: Date.now(), ...values })
    .returning({ id: jobs.id });
  return row.id;
}

/**
 * A stand-in job process: says when it is ready, and how it ended. `worker.cjs` (as the server's
 * worker is named) finishes its step on SIGTERM and exits 143, as scripts/worker.ts does for a
 * crawl (`crawl.cjs` too, as scripts/crawl.ts does); `train.cjs` is ended by SIGTERM at once; `other.cjs` runs no job script.
 */
function worker(script: "worker.cjs" | "crawl.cjs" | "train.cjs" | "other.cjs" = "train.cjs"): Promise<{ child: ChildProcess; ended: Promise<NodeJS.Signals | number | null> }> {
  const file = path.join(tmp.dir, script);
  const onTerm = script === "worker.cjs" || script === "crawl.cjs" ? 'process.on("SIGTERM", () => setTimeout(() => process.exit(143), 300));' : "";
  fs.writeFileSync(file, `${onTerm} console.log("ready"); setInterval(() => {}, 1000);`);
  const child = spawn(process.execPath, [file], { stdio: ["ignore", "pipe", "ignore"] });
  children.push(child);
  const ended = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
  return new Promise((resolve) => child.stdout!.once("data", () => resolve({ child, ended })));
}

describe("POST /api/admin/jobs/:id/cancel", () => {
  it("is for admins only", async () => {
    const id = await job({ kind: "crawl", status: "queued" });
    signedInAs(null);
    expect((await post(id)).status).toBe(401);
    signedInAs(userId);
    expect((await post(id)).status).toBe(403);
    expect((await getJob(id))?.status).toBe("queued");
  });

  it("cancels a queued job at once, saying who did", async () => {
    const id = await job({ kind: "simulate", status: "queued" });
    const res = await post(id);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ outcome: "cancelled", job: { id, status: "cancelled", error: "cancelled by admin@example.com before it started" } });
  });

  it("stops a running crawl's worker with SIGTERM and leaves the outcome to it (202); the log says who asked", async () => {
    const { child, ended } = await worker("worker.cjs");
    const id = await job({ kind: "crawl", status: "running", workerPid: child.pid!, workerHost: os.hostname(), startedAt: Date.now() });
    const res = await post(id);
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ outcome: "stopping", job: { id, status: "running" } });
    expect(res.json.job.log).toContain(`cancel requested by admin@example.com: stopping process ${child.pid} (SIGTERM)`);
    expect(await ended).toBe(143);
  });

  it("leaves a crawl run from the command line to stop after its page, as in a worker (202)", async () => {
    const { child, ended } = await worker("crawl.cjs");
    const id = await job({ kind: "crawl", status: "running", workerPid: child.pid!, workerHost: os.hostname(), startedAt: Date.now() });
    const res = await post(id);
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ outcome: "stopping", job: { id, status: "running" } });
    expect(await ended).toBe(143);
  });

  it("ends a training run at once and records it cancelled", async () => {
    const { child, ended } = await worker();
    const id = await job({ kind: "train", status: "running", workerPid: child.pid!, workerHost: os.hostname(), startedAt: Date.now() });
    const res = await post(id);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ outcome: "cancelled", job: { status: "cancelled", error: "cancelled by admin@example.com" } });
    expect(await ended).toBe("SIGTERM");
  });

  it("settles a running job whose process is already gone as cancelled", async () => {
    const { child, ended } = await worker();
    child.kill("SIGKILL");
    await ended;
    const id = await job({ kind: "crawl", status: "running", workerPid: child.pid!, workerHost: os.hostname(), startedAt: Date.now() });
    const res = await post(id);
    expect(res.status).toBe(200);
    expect(res.json.job).toMatchObject({ status: "cancelled", error: `cancelled by admin@example.com: its process ${child.pid} had already ended` });
  });

  it("does not signal a process that runs no job script (a reused pid, a forged row), nor pid 0 or 1", async () => {
    const { child, ended } = await worker("other.cjs");
    const id = await job({ kind: "crawl", status: "running", workerPid: child.pid!, workerHost: os.hostname(), startedAt: Date.now() });
    const res = await post(id);
    expect(res.status).toBe(409);
    expect(expectErrorShape(res.json).message).toBe(`Job #${id}'s process ${child.pid} does not run a Matinee job script here; stop it by hand.`);
    for (const pid of [0, 1, -1]) {
      const forged = await job({ kind: "crawl", status: "running", workerPid: pid, workerHost: os.hostname(), startedAt: Date.now() });
      expect((await post(forged)).status).toBe(409);
    }
    child.kill("SIGKILL");
    expect(await ended).toBe("SIGKILL"); // it was never sent SIGTERM
  });

  it("tells a stopping worker once: asked again, it answers 202 without a second signal (which would kill it mid-step)", async () => {
    const { child, ended } = await worker("worker.cjs");
    const id = await job({ kind: "simulate", status: "running", workerPid: child.pid!, workerHost: os.hostname(), startedAt: Date.now() });
    expect((await post(id)).status).toBe(202);
    const again = await post(id);
    expect(again.status).toBe(202);
    expect(again.json.job.stats).toMatchObject({ cancelRequestedBy: "admin@example.com" });
    expect(again.json.job.log.match(/cancel requested by/g)).toHaveLength(1);
    expect(await ended).toBe(143); // its own exit, after its step: a second SIGTERM would have ended it by the signal
  });

  it("asks a job on another host through its row (no signal reaches it): 202, once, and no process here is signalled", async () => {
    // this host's pid in a row of another host's: were the host ignored, this stand-in would get SIGTERM
    const { child, ended } = await worker("worker.cjs");
    const elsewhere = await job({ kind: "crawl", status: "running", workerPid: child.pid!, workerHost: "another-host", startedAt: Date.now() });
    const far = await post(elsewhere);
    expect(far.status).toBe(202);
    expect(far.json).toMatchObject({ outcome: "stopping", job: { id: elsewhere, status: "running", stats: { cancelRequestedBy: "admin@example.com" } } });
    expect(far.json.job.log).toContain("cancel requested by admin@example.com: the job runs on another-host, whose process stops at its next check");
    const again = await post(elsewhere);
    expect(again.status).toBe(202);
    expect(again.json.job.log.match(/cancel requested by/g)).toHaveLength(1);
    child.kill("SIGKILL");
    expect(await ended).toBe("SIGKILL"); // it was never sent SIGTERM
  });

  it("refuses a finished job with 409; an unknown one is 404", async () => {
    const done = await job({ kind: "train", status: "succeeded", finishedAt: Date.now() });
    const finished = await post(done);
    expect(finished.status).toBe(409);
    expect(expectErrorShape(finished.json).message).toBe(`Job #${done} already succeeded: there is nothing to cancel.`);

    const missing = await post(999_999);
    expect(missing.status).toBe(404);
    expect(expectErrorShape(missing.json).code).toBe("not_found");
  });

  it("refuses a body", async () => {
    const id = await job({ kind: "crawl", status: "queued" });
    const res = await call(cancel, `/api/admin/jobs/${id}/cancel`, { method: "POST", params: { id: String(id) }, body: { reason: "x" } });
    expect(res.status).toBe(400);
    expect((await getJob(id))?.status).toBe("queued");
  });
});
