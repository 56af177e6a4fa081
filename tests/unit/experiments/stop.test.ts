import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { experiments } from "@/lib/db/schema";
import { countArmOutcomes, getExperiment } from "@/lib/experiments/queries";
import { invalidateRunningExperiment } from "@/lib/experiments/serve";
import { getExperimentReport, getExperimentsPage, stopExperiment } from "@/lib/experiments/service";
import { listModelEvents } from "@/lib/mlops/actions";
import { getServingVersionId, invalidateServingSnapshot, promoteModelVersion } from "@/lib/mlops/registry";
import { runTraining } from "@/lib/recs/train";
import { runSimulation } from "@/lib/simulate/run";
import { runTraffic } from "@/lib/simulate/traffic";
import { useTrainedDb } from "../../helpers/trained-db";

// What a stop keeps: the report as it was at the stop (QA: a plain simulation after the stop
// rewrote the interactions it was counted from, and watches fell from 1,039/956 to 1/4), and what
// the stop did to serving (it said "arm A was promoted" when A's version served already).

const USERS = 60;
const SEED = 7; // useTrainedDb's simulation: traffic needs the same seed to recover users' tastes
const admin = { userId: null, label: "admin@example.com" };
const sumWatches = (counts: { watches: number }[]) => counts.reduce((n, c) => n + c.watches, 0);

let tmp: Awaited<ReturnType<typeof useTrainedDb>>;
beforeAll(async () => {
  invalidateServingSnapshot();
  tmp = await useTrainedDb({ users: USERS, model: "item-knn" }); // v1
  await runTraining({ model: "popularity", topN: 30, neighbors: 30, force: true }); // v2
  await promoteModelVersion(1);
}, 120_000);
afterAll(() => tmp.cleanup());

/** Start an experiment over v1 (control) and v2 with simulated traffic, as `npm run simulate -- --traffic N --versions 1,2` does. */
async function experimentWithTraffic(): Promise<number> {
  invalidateRunningExperiment();
  const { experimentId } = await runTraffic({ visits: 200, versions: [1, 2], seed: SEED });
  return experimentId;
}

describe("stopping an experiment", () => {
  it("freezes its report: a simulation rewriting the interactions afterwards changes nothing", async () => {
    const id = await experimentWithTraffic();
    const running = await getExperimentReport(id);
    expect(sumWatches(running.arms)).toBeGreaterThan(0);

    const { experiment } = await stopExperiment(id, {}, admin);
    const { finalCounts } = experiment;
    expect(finalCounts?.map((c) => c.arm).sort()).toEqual(["A", "B"]);
    // the stop stored what the report showed at that moment
    const atStop = await getExperimentReport(id);
    expect(atStop.arms.map(({ watches, clicks, pairs, impressions }) => ({ watches, clicks, pairs, impressions }))).toEqual(
      running.arms.map(({ watches, clicks, pairs, impressions }) => ({ watches, clicks, pairs, impressions })),
    );

    // a plain simulation (the QA repro's /admin/jobs run) rewrites the same users' histories
    await runSimulation({ users: USERS, seed: SEED + 1 });
    // counted live, the watches would be gone (the test would prove nothing otherwise)
    expect(sumWatches(await countArmOutcomes(id, experiment.stoppedAt!))).toBeLessThan(sumWatches(finalCounts!));
    const after = await getExperimentReport(id);
    expect(after.arms).toEqual(atStop.arms);
    expect(after.verdict).toBe(atStop.verdict);
    expect(after.suggestedWinner).toBe(atStop.suggestedWinner);
  }, 120_000);

  it("keeps counting an experiment stopped before the counts were stored live, up to its stop", async () => {
    const id = await experimentWithTraffic();
    const { experiment } = await stopExperiment(id, {}, admin);
    // as a row stopped by the previous code reads
    await getDb().update(experiments).set({ finalCounts: null }).where(eq(experiments.id, id));
    await runSimulation({ users: USERS, seed: SEED + 2 });
    const live = await countArmOutcomes(id, experiment.stoppedAt!);
    const report = await getExperimentReport(id);
    expect(report.arms.map((a) => a.watches)).toEqual(["A", "B"].map((arm) => live.find((c) => c.arm === arm)?.watches ?? 0));
  }, 120_000);

  it("records whether promoting the winner switched serving", async () => {
    expect(await getServingVersionId()).toBe(1);
    const events = (await listModelEvents()).length;

    // arm A's v1 serves already: nothing is switched, nor audited, and the row says so
    const kept = await stopExperiment(await experimentWithTraffic(), { promoteArm: "A" }, admin);
    expect(kept.promotedVersion).toBeNull();
    expect(kept.experiment).toMatchObject({ status: "stopped", winnerArm: "A", promotion: "already_serving" });
    expect(await listModelEvents()).toHaveLength(events);
    expect(await getServingVersionId()).toBe(1);

    const switched = await stopExperiment(await experimentWithTraffic(), { promoteArm: "B" }, admin);
    expect(switched.promotedVersion).toBe(2);
    expect(switched.experiment).toMatchObject({ winnerArm: "B", promotion: "switched" });
    expect(await listModelEvents()).toHaveLength(events + 1);
    expect(await getServingVersionId()).toBe(2);

    const plain = await stopExperiment(await experimentWithTraffic(), {}, admin);
    expect(plain.experiment).toMatchObject({ winnerArm: null, promotion: null });
    expect((await getExperiment(plain.experiment.id))?.finalCounts).not.toBeNull();
  }, 180_000);
});

describe("the admin page's ?id=", () => {
  it("shows the experiment it names, else says why not (was: experiment #1 instead)", async () => {
    const latest = await getExperimentsPage(undefined);
    expect(latest.problem).toBeNull();
    expect(latest.report?.experiment.id).toBe(latest.items[0].id);
    expect((await getExperimentsPage("")).report?.experiment.id).toBe(latest.items[0].id);
    expect((await getExperimentsPage("1")).report?.experiment.id).toBe(1);

    for (const [param, problem] of [
      ["999", "There is no experiment #999."],
      ["abc", "The experiment id must be a whole number written in digits."],
      ["0", "The experiment id must be at least 1."],
      [["1", "2"], "The experiment id must be given once."],
    ] as const) {
      const page = await getExperimentsPage(param as string | string[]);
      expect(page.report, String(param)).toBeNull();
      expect(page.problem).toBe(problem);
      expect(page.items.length).toBeGreaterThan(0); // the list stays, to pick another
    }
  });
});
