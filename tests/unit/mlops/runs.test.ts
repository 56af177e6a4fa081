import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Job, ModelVersion } from "@/lib/db/schema";
import { ApiError } from "@/lib/http/errors";
import { buildComparison, compareRuns, failureReasons, getRunsPage, listRuns, runIdsSchema, toRun, type Run } from "@/lib/mlops/runs";
import { runTraining } from "@/lib/recs/train";
import { useTrainedDb } from "../../helpers/trained-db";

function version(over: Partial<ModelVersion>): ModelVersion {
  return {
    id: 1,
    algorithm: "ease",
    params: {},
    metrics: {},
    snapshot: {},
    status: "ready",
    stage: "candidate",
    jobId: null,
    codeVersion: null,
    durationMs: null,
    createdAt: 1_000,
    finishedAt: null,
    ...over,
  };
}

const run = (over: Partial<ModelVersion>, job: Pick<Job, "error" | "message" | "stats"> | null = null): Run => toRun(version(over), job, null);

describe("buildComparison (pure)", () => {
  const a = run({
    id: 3,
    algorithm: "ease",
    params: { lambda: 250, topN: 50 },
    metrics: { coverage: 0.3, "ndcg@10": 0.12, novelty: 200 },
    snapshot: { users: 1000, items: 3000, interactions: 26_000, pairs: 14_000, checksum: "abc" },
    durationMs: 7_000,
    codeVersion: "50ec4af",
  });
  const b = run({
    id: 5,
    algorithm: "item-knn",
    params: { neighbors: 20, topN: 50 },
    metrics: { "ndcg@10": 0.1, coverage: 0.45, "precision@10": 0.05 },
    snapshot: { users: 1010, items: 3000, interactions: 26_500, pairs: 14_100, checksum: "def" },
    durationMs: 5_500,
    codeVersion: "50ec4af",
  });

  it("flags exactly the parameters that differ, with the algorithm first and missing values as null", () => {
    const c = buildComparison([a, b]);
    expect(c.params.map((p) => p.key)).toEqual(["algorithm", "lambda", "neighbors", "topN"]);
    expect(c.params.filter((p) => p.differs).map((p) => p.key)).toEqual(["algorithm", "lambda", "neighbors"]);
    expect(c.params.find((p) => p.key === "lambda")?.values).toEqual([250, null]);
    expect(c.params.find((p) => p.key === "topN")).toMatchObject({ values: [50, 50], differs: false });
  });

  it("gives metric, data and duration deltas against the first run", () => {
    const c = buildComparison([a, b]);
    expect(c.baseline).toBe(3);
    // reading order: ndcg, precision, ..., coverage, novelty
    expect(c.metrics.map((m) => m.key)).toEqual(["ndcg@10", "precision@10", "coverage", "novelty"]);
    const ndcg = c.metrics.find((m) => m.key === "ndcg@10")!;
    expect(ndcg.values).toEqual([0.12, 0.1]);
    expect(ndcg.deltas[0]).toBe(0);
    expect(ndcg.deltas[1]).toBeCloseTo(-0.02, 10);
    // a metric only one run has: no delta rather than a made-up one
    expect(c.metrics.find((m) => m.key === "precision@10")).toMatchObject({ values: [null, 0.05], deltas: [null, null] });
    expect(c.metrics.find((m) => m.key === "novelty")).toMatchObject({ values: [200, null], deltas: [0, null] });
    expect(c.snapshot.find((s) => s.key === "users")).toMatchObject({ values: [1000, 1010], deltas: [0, 10] });
    expect(c.snapshot.find((s) => s.key === "interactions")?.deltas).toEqual([0, 500]);
    expect(c.durationMs).toEqual({ values: [7000, 5500], deltas: [0, -1500] });
    expect(c.sameData).toBe(false);
    expect(c.sameCode).toBe(true);
  });

  it("reverses the deltas when the baseline changes", () => {
    const c = buildComparison([b, a]);
    expect(c.baseline).toBe(5);
    expect(c.durationMs.deltas).toEqual([0, 1500]);
    expect(c.metrics.find((m) => m.key === "coverage")?.deltas[1]).toBeCloseTo(-0.15, 10);
  });

  it("same data when every checksum is equal; unknown (null), not different, when a run has none", () => {
    const same = run({ ...a, id: 9, snapshot: { ...a.snapshot } } as Partial<ModelVersion>);
    expect(buildComparison([a, same]).sameData).toBe(true);
    const other = run({ ...a, id: 12, snapshot: { ...a.snapshot, checksum: "other" } } as Partial<ModelVersion>);
    expect(buildComparison([a, other]).sameData).toBe(false);
    // a run killed before it read its data: the QA pass saw "trained on different data" for two runs of the same data
    const unknown = run({ id: 10 });
    expect(buildComparison([unknown, run({ id: 11 })]).sameData).toBeNull();
    expect(buildComparison([a, unknown]).sameData).toBeNull();
  });
});

describe("toRun", () => {
  it("a failed run's outcome is its job's error; a finished one's is the gate decision; who started it comes from the job", () => {
    expect(run({ status: "failed" }, { error: "disk full", message: null, stats: {} }).outcome).toBe("disk full");
    expect(run({ status: "failed" }).outcome).toMatch(/no reason recorded/);
    const ok = run({ status: "ready" }, { error: null, message: "promoted: first model version", stats: { requestedBy: "admin@example.com" } });
    expect(ok).toMatchObject({ outcome: "promoted: first model version", startedBy: "admin@example.com" });
    expect(run({ status: "training" }, { error: null, message: "validation", stats: {} }).outcome).toBeNull();
  });

  it("a run queued by the retrain schedule or a drift check says so; an admin's and a CLI run have no trigger", () => {
    expect(run({}, { error: null, message: null, stats: { trigger: "schedule" } })).toMatchObject({ startedBy: null, trigger: "schedule" });
    expect(run({}, { error: null, message: null, stats: { trigger: "drift" } })).toMatchObject({ startedBy: null, trigger: "drift" });
    expect(run({}, { error: null, message: null, stats: { requestedBy: "admin@example.com", requestedById: 1 } })).toMatchObject({ startedBy: "admin@example.com", trigger: null });
    expect(run({}, { error: null, message: null, stats: {} })).toMatchObject({ startedBy: null, trigger: null });
    expect(run({}, { error: null, message: null, stats: { trigger: "bogus" } }).trigger).toBeNull();
    expect(run({}).trigger).toBeNull(); // no job (a sharded run)
  });
});

describe("runIdsSchema", () => {
  it.each([
    ["3,5", [3, 5]],
    [" 5 , 3 ", [5, 3]],
    [["3", "5", "8"], [3, 5, 8]],
  ])("%j → %j", (input, ids) => {
    expect(runIdsSchema.parse(input)).toEqual(ids);
  });

  it.each([["3"], ["3,3"], ["x,1"], ["0,1"], ["1.5,2"], ["1,2,3,4,5,6,7,8,9"], [[]]])("rejects %j", (input) => {
    expect(runIdsSchema.safeParse(input).success).toBe(false);
  });
});

describe("runs in the database", () => {
  let tmp: Awaited<ReturnType<typeof useTrainedDb>>;
  let first: number;
  let second: number;
  let failed: number;
  beforeAll(async () => {
    tmp = await useTrainedDb({ users: 120, model: "popularity" });
    first = tmp.trained.versionId;
    second = (await runTraining({ model: "item-knn", params: { neighbors: 20 }, topN: 10, neighbors: 10, seed: 5, force: true })).versionId;
    // A run that dies after loading its data: it must still say how long it ran, on what, and why it failed.
    await expect(
      runTraining({
        model: "popularity",
        topN: 10,
        neighbors: 10,
        onProgress: (stage) => {
          if (stage === "fit") throw new Error("disk full while fitting");
        },
      }),
    ).rejects.toThrow("disk full");
    failed = second + 1;
  }, 120_000);
  afterAll(() => tmp.cleanup());

  it("lists every run newest first with parameters, metrics, snapshot, duration, code version and status", async () => {
    const { servingVersion, items } = await listRuns();
    expect(items.map((r) => r.id)).toEqual([failed, second, first]);
    expect(servingVersion).toBe(second);
    const latest = items.find((r) => r.id === second)!;
    expect(latest).toMatchObject({ algorithm: "item-knn", status: "ready", stage: "production", serving: true });
    // the model's own neighbour count and the cache's are both kept, apart
    expect(latest.params).toMatchObject({ neighbors: 20, cacheNeighbors: 10, topN: 10, seed: 5, validationRatio: 0.75 });
    expect(latest.metrics["ndcg@10"]).toBeGreaterThan(0);
    expect(latest.snapshot).toMatchObject({ users: 120, interactions: expect.any(Number), checksum: expect.any(String) });
    expect(latest.durationMs).toBeGreaterThan(0);
    expect(latest.outcome).toMatch(/promoted/);
    let commit: string | null = null;
    try {
      commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      // not a checkout: the code version falls back to MATINEE_VERSION
    }
    if (commit) expect(latest.codeVersion).toMatch(new RegExp(`^${commit}(-dirty)?$`));
  });

  it("a failed run keeps its duration, data snapshot and the reason it failed", async () => {
    const { items } = await listRuns();
    const dead = items.find((r) => r.id === failed)!;
    expect(dead.status).toBe("failed");
    expect(dead.outcome).toBe("disk full while fitting");
    expect(dead.durationMs).not.toBeNull();
    expect(dead.finishedAt).not.toBeNull();
    expect(dead.snapshot.interactions).toBe(items.find((r) => r.id === first)!.snapshot.interactions);
    expect(dead.metrics).toEqual({});
    // the Models page's reasons: the same outcome, for failed versions only
    expect(await failureReasons([failed, first])).toEqual(new Map([[failed, "disk full while fitting"]]));
    expect(await failureReasons([])).toEqual(new Map());
  });

  it("compares runs by id, in the order asked", async () => {
    const { items } = await listRuns();
    const byId = new Map(items.map((r) => [r.id, r]));
    const c = await compareRuns([first, second]);
    expect(c.runs.map((r) => r.id)).toEqual([first, second]);
    expect(c.params.find((p) => p.key === "algorithm")).toMatchObject({ values: ["popularity", "item-knn"], differs: true });
    expect(c.sameData).toBe(true);
    const ndcg = c.metrics.find((m) => m.key === "ndcg@10")!;
    expect(ndcg.deltas[1]).toBeCloseTo(byId.get(second)!.metrics["ndcg@10"] - byId.get(first)!.metrics["ndcg@10"], 12);
    expect(c.durationMs.deltas[1]).toBe(byId.get(second)!.durationMs! - byId.get(first)!.durationMs!);
  });

  it("unknown ids are a not_found naming them", async () => {
    const err = await compareRuns([first, 404, 405]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: "not_found", details: { missing: [404, 405] } });
    expect((err as Error).message).toMatch(/no run 404, 405/);
    await expect(compareRuns([first])).rejects.toMatchObject({ code: "bad_request" });
  });

  it("the page data: the form's repeated field compares oldest first; a list keeps its order; problems are explained", async () => {
    expect(await getRunsPage(undefined)).toMatchObject({ comparison: null, problem: null, selected: [] });
    const fromForm = await getRunsPage([String(second), String(first)]);
    expect(fromForm.comparison?.baseline).toBe(first);
    expect(fromForm.selected).toEqual([second, first]);
    expect((await getRunsPage(`${second},${first}`)).comparison?.baseline).toBe(second);
    const one = await getRunsPage(String(first));
    expect(one).toMatchObject({ comparison: null, selected: [first] });
    expect(one.problem).toBe("The runs to compare must name at least 2 runs.");
    expect((await getRunsPage(`${first},x`)).problem).toBe("The runs to compare must be run ids (version numbers such as 3).");
    expect((await getRunsPage(`${first},999`)).problem).toMatch(/no run 999/);
  });
});
