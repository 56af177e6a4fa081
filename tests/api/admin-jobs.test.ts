import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as getJob } from "@/app/api/admin/jobs/[id]/route";
import { GET as listJobs, POST as startJob } from "@/app/api/admin/jobs/route";
import { registerAccount } from "@/lib/auth/accounts";
import { readSessionClaims } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { jobs } from "@/lib/db/schema";
import { appendJobLog, updateJob } from "@/lib/jobs/queries";
import { launchWorker } from "@/lib/jobs/worker-process";
import { call, expectErrorShape } from "../helpers/call";
import { useTempDb } from "../helpers/temp-db";

// Sessions come from next/headers inside Next; here the session reader is replaced. No worker
// process is started: the queue is what these handlers own (tests/unit/jobs covers the worker).
vi.mock("@/lib/auth/session", () => ({ readSessionClaims: vi.fn(async () => null) }));
vi.mock("@/lib/jobs/worker-process", () => ({ launchWorker: vi.fn() }));
const signedInAs = (id: number | null) => vi.mocked(readSessionClaims).mockResolvedValue(id === null ? null : { id });

let tmp: ReturnType<typeof useTempDb>;
let adminId: number;
let userId: number;
beforeAll(async () => {
  tmp = useTempDb();
  adminId = (await registerAccount({ email: "admin@example.com", password: "password-1" })).id;
  userId = (await registerAccount({ email: "user@example.com", password: "password-2" })).id;
});
afterAll(() => tmp.cleanup());
beforeEach(async () => {
  signedInAs(null);
  await getDb().delete(jobs);
  vi.mocked(launchWorker).mockClear();
});

const start = (body: unknown) => call(startJob, "/api/admin/jobs", { method: "POST", body });
const show = (id: string) => call(getJob, `/api/admin/jobs/${id}`, { params: { id } });

describe("admin job routes", () => {
  it.each([
    ["GET /api/admin/jobs", () => call(listJobs, "/api/admin/jobs")],
    ["POST /api/admin/jobs", () => start({ kind: "train", params: { model: "ease" } })],
    ["GET /api/admin/jobs/:id", () => show("1")],
  ])("%s: 401 when signed out, 403 for a non-admin", async (_name, request) => {
    const anon = await request();
    expect(anon.status).toBe(401);
    expect(expectErrorShape(anon.json).code).toBe("unauthorized");
    signedInAs(userId);
    const user = await request();
    expect(user.status).toBe(403);
    expect(expectErrorShape(user.json).code).toBe("forbidden");
    expect(launchWorker).not.toHaveBeenCalled();
  });

  it("queues a retraining for an admin (202), starts its worker, and shows it in the list and by id", async () => {
    signedInAs(adminId);
    const res = await start({ kind: "train", params: { model: "item-knn", params: { neighbors: 25 } } });
    expect(res.status).toBe(202);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const { job } = res.json;
    expect(job).toMatchObject({ kind: "train", status: "queued", progress: 0, requestedBy: "admin@example.com" });
    expect(job.params).toMatchObject({ model: "item-knn", force: false, params: { neighbors: 25 } });
    expect(launchWorker).toHaveBeenCalledExactlyOnceWith(job.id);

    const list = await call(listJobs, "/api/admin/jobs?kind=train");
    expect(list.status).toBe(200);
    expect(list.json.items.map((j: { id: number }) => j.id)).toEqual([job.id]);
    expect(list.json.items[0]).not.toHaveProperty("log");

    // The worker reports progress into the row; the poll sees it.
    await updateJob(job.id, { progress: 0.4, message: "validation" });
    await appendJobLog(job.id, "loaded 12 interactions");
    const one = await show(String(job.id));
    expect(one.status).toBe(200);
    expect(one.json.job).toMatchObject({ id: job.id, progress: 0.4, message: "validation", log: expect.stringMatching(/loaded 12 interactions\n$/) });
  });

  it("409 while a job of the same kind is queued or running; other kinds still start", async () => {
    signedInAs(adminId);
    const first = await start({ kind: "simulate", params: { users: 50 } });
    expect(first.status).toBe(202);
    const again = await start({ kind: "simulate" });
    expect(again.status).toBe(409);
    expect(expectErrorShape(again.json)).toMatchObject({ code: "conflict", details: { jobId: first.json.job.id } });
    const crawl = await start({ kind: "crawl", params: { pages: { from: 1, to: 3 }, region: "us", language: "en-US" } });
    expect(crawl.status).toBe(202);
    expect(crawl.json.job.params).toMatchObject({ region: "US" }); // typed in lower case, meant the same
    expect(launchWorker).toHaveBeenCalledTimes(2);
  });

  it("queues a crawl that starts over (restart), as the form's Start over sends it; refuses a restart that is not true or false", async () => {
    signedInAs(adminId);
    const plain = await start({ kind: "crawl", params: { pages: { from: 1, to: 5 } } });
    expect(plain.status).toBe(202);
    expect(plain.json.job.params).toMatchObject({ restart: false });
    await getDb().delete(jobs);
    const over = await start({ kind: "crawl", params: { pages: { from: 1, to: 5 }, region: "KR", language: "ko-KR", restart: true } });
    expect(over.status).toBe(202);
    expect(over.json.job.params).toMatchObject({ pages: { from: 1, to: 5 }, restart: true });
    await getDb().delete(jobs);
    const bad = await start({ kind: "crawl", params: { pages: { from: 1, to: 5 }, restart: "yes" } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.fields).toEqual({ "params.restart": ["must be true or false"] });
  });

  it("400 for an unknown kind, bad params or a bad id; 404 for an unknown job; 415 for a non-JSON body", async () => {
    signedInAs(adminId);
    for (const body of [{ kind: "import" }, { kind: "train", params: { model: "magic" } }, { kind: "crawl", params: {} }, { kind: "train", params: { model: "ease", params: { lambda: "much" } } },
      // a misspelt or extra field is refused, not ignored (a typo must not queue a default job)
      { kind: "simulate", parms: { users: 5 } }, { kind: "train", params: { model: "ease" }, extra: 1 }]) {
      const res = await start(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(expectErrorShape(res.json).details).toHaveProperty("fields");
    }
    // field errors read as sentences an admin form can show next to the field
    const empty = await start({ kind: "crawl", params: { pages: { from: 0, to: 2 } } });
    expect(empty.json.error.details.fields).toEqual({ "params.pages.from": ["must be at least 1"] });
    expect((await call(startJob, "/api/admin/jobs", { method: "POST", body: "kind=train", headers: { "content-type": "text/plain" } })).status).toBe(415);
    expect((await call(listJobs, "/api/admin/jobs?limit=0")).status).toBe(400);
    expect((await call(listJobs, "/api/admin/jobs?bogus=1")).status).toBe(400);
    expect((await show("abc")).status).toBe(400);
    const missing = await show("4242");
    expect(missing.status).toBe(404);
    expect(expectErrorShape(missing.json).code).toBe("not_found");
    expect(launchWorker).not.toHaveBeenCalled();
  });
});
