// How the admin report and the verdicts write a p-value, and how a stop is told, in one place. No
// server imports: the report's components use it too.
import type { Experiment } from "@/lib/db/schema";

/** "p = 0.0074", or "p < 0.0001" when four decimals would show zero. */
export function formatPValue(p: number): string {
  return p < 0.0001 ? "p < 0.0001" : `p = ${p.toFixed(4)}`;
}

/**
 * How a stopped experiment ended, said after its verdict: who stopped it and what the stop did to
 * serving. "Promoted" only when serving was switched; an arm whose version already served is said
 * to be kept. Experiments stopped before the outcome was recorded only name the chosen arm.
 */
export function describeStop(experiment: Pick<Experiment, "stoppedByLabel" | "winnerArm" | "promotion" | "arms">): string {
  const by = `Stopped by ${experiment.stoppedByLabel ?? "an admin"}`;
  const arm = experiment.arms.find((a) => a.key === experiment.winnerArm);
  if (!arm) return `${by} without promoting.`;
  const name = `arm ${arm.key} (v${arm.versionId})`;
  switch (experiment.promotion) {
    case "switched":
      return `${by}; ${name} was promoted.`;
    case "already_serving":
      return `${by}; ${name} already served, so nothing was switched.`;
    default:
      return `${by}, choosing ${name} to serve.`;
  }
}
