// Running A/B experiments: start one over ready model versions, report per-arm outcomes with
// confidence intervals and z-tests against the control, stop it (optionally promoting an arm
// through the registry's audited promote). See docs/mlops.md#ab-experiments.
import type { z } from "zod";
import { transaction } from "@/lib/db";
import { isUniqueViolation } from "@/lib/db/errors";
import type { Experiment, ExperimentArmCounts } from "@/lib/db/schema";
import { lockKey } from "@/lib/db/sql";
import { ApiError } from "@/lib/http/errors";
import { switchServing, type ModelActor } from "@/lib/mlops/actions";
import { getModelVersion, getServingVersionId, hasCache, listModelVersions } from "@/lib/mlops/registry";
import { fieldSentence } from "@/lib/validation/sentence";
import { countArmOutcomes, getExperiment, insertExperiment, listExperiments, markExperimentStopped, findRunningExperiment } from "./queries";
import { ARM_KEYS, createExperimentSchema, experimentIdParamsSchema, type armReportSchema, type CreateExperimentInput, type experimentReportSchema } from "./schemas";
import { invalidateRunningExperiment } from "./serve";
import { formatPValue } from "./format";
import { twoProportionZTest, wilsonInterval } from "./stats";

export type ArmReport = z.infer<typeof armReportSchema>;
export type ExperimentReport = z.infer<typeof experimentReportSchema>;

/** Family-wise significance level: each treatment is tested at ALPHA / (treatments) (Bonferroni). */
export const ALPHA = 0.05;

/**
 * Start an experiment. 404 for an unknown version; 409 when one runs already or an arm's version
 * cannot serve. The insert runs under the serving lock pruneOldCaches takes, re-checking the arms'
 * caches there, so a training run's prune at the same moment either sees the experiment (and keeps
 * its arms' caches) or has already dropped a cache (and the start is refused).
 */
export async function createExperiment(input: CreateExperimentInput, actor: ModelActor): Promise<Experiment> {
  const parsed = createExperimentSchema.parse(input);
  const running = await findRunningExperiment();
  if (running) throw stillRunning(running);
  for (const arm of parsed.arms) {
    const version = await getModelVersion(arm.versionId);
    if (!version) throw new ApiError("not_found", `There is no model version ${arm.versionId}.`);
    if (version.status !== "ready") throw new ApiError("conflict", `Version ${arm.versionId} is ${version.status}, not ready.`);
    if (!(await hasCache(arm.versionId))) throw cachePruned(arm.versionId);
  }
  let row: Experiment;
  try {
    // transaction queries only (tx): no second connection is needed while this one holds the lock
    row = await transaction(async (tx) => {
      await lockKey(tx, "serving");
      const now = await findRunningExperiment(tx);
      if (now) throw stillRunning(now);
      for (const arm of parsed.arms) if (!(await hasCache(arm.versionId, tx))) throw cachePruned(arm.versionId);
      return insertExperiment(
        {
          name: parsed.name,
          primaryMetric: parsed.primaryMetric,
          arms: parsed.arms.map((a, i) => ({ key: ARM_KEYS[i], versionId: a.versionId, weight: a.weight })),
          createdBy: actor.userId,
          createdByLabel: actor.label,
        },
        tx,
      );
    });
  } catch (err) {
    // Two starts at once: the partial unique index lets only one experiment run.
    if (isUniqueViolation(err)) throw new ApiError("conflict", "Another experiment was started at the same time.");
    throw err;
  }
  invalidateRunningExperiment();
  return row;
}

function stillRunning(running: Experiment): ApiError {
  return new ApiError("conflict", `Experiment ${running.id} ("${running.name}") is still running: stop it first.`, { experimentId: running.id });
}

function cachePruned(versionId: number): ApiError {
  return new ApiError("conflict", `Version ${versionId}'s recommendation cache was pruned, so it cannot serve an arm; retrain instead.`);
}

export async function listExperimentsForAdmin(): Promise<{ items: Experiment[]; running: number | null }> {
  const items = await listExperiments(100);
  return { items, running: items.find((e) => e.status === "running")?.id ?? null };
}

function rate(successes: number, trials: number): ArmReport["ctr"] {
  const interval = wilsonInterval(successes, trials);
  return interval ? { rate: successes / trials, interval } : null;
}

/**
 * Per-arm impressions, CTR and watch rate with 95% Wilson intervals, z-tests against arm A, and a
 * verdict. A stopped experiment's report is built from the counts its stop stored, so it stays as
 * it was; one stopped before those were kept is still counted live, up to its stop.
 */
export async function getExperimentReport(id: number): Promise<ExperimentReport> {
  const experiment = await getExperiment(id);
  if (!experiment) throw unknownExperiment(id);
  const frozen = experiment.status === "stopped" ? experiment.finalCounts : null;
  return buildReport(experiment, frozen ?? (await countArmOutcomes(id, experiment.stoppedAt ?? Number.MAX_SAFE_INTEGER)));
}

function unknownExperiment(id: number): ApiError {
  return new ApiError("not_found", `There is no experiment #${id}.`);
}

export function buildReport(experiment: Experiment, counts: ExperimentArmCounts[]): ExperimentReport {
  const byArm = new Map(counts.map((c) => [c.arm, c]));
  const empty = { impressions: 0, pairs: 0, users: 0, clicks: 0, watches: 0, ratings: 0, ratingSum: 0 };
  const [control] = experiment.arms;
  const controlCounts = byArm.get(control.key) ?? empty;
  const arms: ArmReport[] = experiment.arms.map((arm, i) => {
    const c = byArm.get(arm.key) ?? empty;
    return {
      key: arm.key,
      versionId: arm.versionId,
      weight: arm.weight,
      control: i === 0,
      impressions: c.impressions,
      pairs: c.pairs,
      users: c.users,
      clicks: c.clicks,
      watches: c.watches,
      ratings: c.ratings,
      meanRating: c.ratings > 0 ? c.ratingSum / c.ratings : null,
      ctr: rate(c.clicks, c.pairs),
      watchRate: rate(c.watches, c.pairs),
      vsControl:
        i === 0
          ? null
          : {
              ctr: twoProportionZTest({ successes: controlCounts.clicks, trials: controlCounts.pairs }, { successes: c.clicks, trials: c.pairs }),
              watchRate: twoProportionZTest({ successes: controlCounts.watches, trials: controlCounts.pairs }, { successes: c.watches, trials: c.pairs }),
            },
    };
  });
  const alpha = ALPHA / Math.max(1, arms.length - 1);
  const { winner, verdict } = judge(arms, experiment.primaryMetric, alpha, experiment.status === "running");
  return { experiment, arms, alpha, suggestedWinner: winner, verdict };
}

/**
 * The suggested winner on the primary metric: the best treatment that beats the control
 * significantly; the control when every treatment is significantly worse; otherwise none yet.
 * Pure (exported for its unit test).
 */
export function judge(arms: ArmReport[], metric: Experiment["primaryMetric"], alpha: number, running: boolean): { winner: string | null; verdict: string } {
  const label = metric === "ctr" ? "CTR" : "watch rate";
  const tests = arms.slice(1).map((a) => ({ arm: a, test: metric === "ctr" ? a.vsControl?.ctr : a.vsControl?.watchRate }));
  const better = tests.filter((t) => t.test && t.test.pValue < alpha && t.test.difference > 0);
  if (better.length > 0) {
    const best = better.reduce((a, b) => (b.test!.difference > a.test!.difference ? b : a));
    return { winner: best.arm.key, verdict: `Arm ${best.arm.key} has a higher ${label} than the control (${formatPValue(best.test!.pValue)}, below α = ${alpha.toPrecision(2)}).` };
  }
  if (tests.length > 0 && tests.every((t) => t.test && t.test.pValue < alpha && t.test.difference < 0)) {
    return { winner: arms[0].key, verdict: `The control has a higher ${label} than every other arm (each p below α = ${alpha.toPrecision(2)}).` };
  }
  // a stopped experiment's verdict is final: no "yet", no advice to keep it running
  if (arms.every((a) => a.pairs === 0)) {
    return { winner: null, verdict: running ? "No personalised recommendations have been shown in this experiment yet." : "No personalised recommendations were shown in this experiment." };
  }
  return {
    winner: null,
    verdict: running
      ? `No significant difference in ${label} yet (α = ${alpha.toPrecision(2)}): keep it running or stop without promoting.`
      : `No significant difference in ${label} (α = ${alpha.toPrecision(2)}).`,
  };
}

/**
 * Stop a running experiment. With `promoteArm`, that arm's version becomes the serving one first
 * (through the audited promote; skipped when it already serves, and the row says which), so a
 * failed promotion leaves the experiment running. The per-arm counts at the stop are stored with
 * it: the report of a stopped experiment must not change when its users' interactions do.
 */
export async function stopExperiment(id: number, opts: { promoteArm?: string }, actor: ModelActor): Promise<{ experiment: Experiment; promotedVersion: number | null }> {
  const experiment = await getExperiment(id);
  if (!experiment) throw unknownExperiment(id);
  if (experiment.status !== "running") throw alreadyStopped(id);
  const arm = opts.promoteArm === undefined ? undefined : experiment.arms.find((a) => a.key === opts.promoteArm);
  if (opts.promoteArm !== undefined && !arm) {
    throw new ApiError("bad_request", `Experiment ${id} has no arm ${opts.promoteArm}.`, { fields: { promoteArm: [`must be one of ${experiment.arms.map((a) => a.key).join(", ")}`] } });
  }
  // One stop at a time, the promotion in the same transaction (transaction queries only): two
  // admins stopping together with different arms used to both promote, and the one then refused
  // "already stopped" had switched serving to its arm after the winner's.
  const promotedVersion = await transaction(async (tx) => {
    await lockKey(tx, "experiments");
    if ((await getExperiment(id, tx))?.status !== "running") throw alreadyStopped(id);
    let promoted: number | null = null;
    if (arm && (await getServingVersionId(tx)) !== arm.versionId) {
      // audited as the training job's promotions are: who, and through what
      await switchServing(arm.versionId, "promote", { ...actor, label: `${actor.label} via experiment #${id}` });
      promoted = arm.versionId;
    }
    const stoppedAt = Date.now();
    const stopped = await markExperimentStopped(
      id,
      {
        stoppedAt,
        stoppedByLabel: actor.label,
        winnerArm: arm?.key ?? null,
        promotion: arm ? (promoted === null ? "already_serving" : "switched") : null,
        finalCounts: await countArmOutcomes(id, stoppedAt, tx),
      },
      tx,
    );
    if (!stopped) throw alreadyStopped(id);
    return promoted;
  });
  invalidateRunningExperiment();
  return { experiment: (await getExperiment(id))!, promotedVersion };
}

function alreadyStopped(id: number): ApiError {
  return new ApiError("conflict", `Experiment ${id} was already stopped.`);
}

/** The report `?id=` asks for, or why there is none (in the words of the runs page's `?compare=`). */
async function getAskedForReport(idParam: string | string[]): Promise<{ report: ExperimentReport | null; problem: string | null }> {
  if (Array.isArray(idParam)) return { report: null, problem: fieldSentence("The experiment id", ["must be given once"]) };
  const parsed = experimentIdParamsSchema.shape.id.safeParse(idParam);
  if (!parsed.success) return { report: null, problem: fieldSentence("The experiment id", [parsed.error.issues[0]?.message ?? "must be an experiment id"]) };
  try {
    return { report: await getExperimentReport(parsed.data), problem: null };
  } catch (err) {
    if (err instanceof ApiError && err.code === "not_found") return { report: null, problem: err.message };
    throw err;
  }
}

/**
 * Everything the admin Experiments page shows: the list, one report, and the versions an arm can
 * use. The report is the one `?id=` names, else the running or latest experiment's; an id that is
 * not one, or names no experiment, is a `problem` and no report (not another experiment's).
 */
export async function getExperimentsPage(idParam?: string | string[]): Promise<{
  items: Experiment[];
  report: ExperimentReport | null;
  problem: string | null;
  servingVersion: number | null;
  candidates: { id: number; algorithm: string; ndcg: number | null; serving: boolean }[];
  /** When the report's counts were read (ms): the page says so while the experiment runs. */
  readAt: number;
}> {
  const readAt = Date.now();
  const { items, running } = await listExperimentsForAdmin();
  const latest = running ?? items[0]?.id;
  const { report, problem } =
    idParam === undefined || idParam === ""
      ? { report: latest === undefined ? null : await getExperimentReport(latest), problem: null }
      : await getAskedForReport(idParam);
  const servingVersion = await getServingVersionId();
  const candidates = [];
  for (const v of await listModelVersions(30)) {
    if (v.status === "ready" && (await hasCache(v.id))) {
      candidates.push({ id: v.id, algorithm: v.algorithm, ndcg: v.metrics["ndcg@10"] ?? null, serving: v.id === servingVersion });
    }
  }
  return { items, report, problem, servingVersion, candidates, readAt };
}
