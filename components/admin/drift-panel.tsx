import Link from "next/link";
import type { DriftOverview } from "@/lib/mlops/drift";
import { countNoun, formatDateTime, formatNumber, formatSentence } from "./format";
import { EmptyState } from "./section";
import { StatusBadge } from "./status-badge";

type State = "no-model" | "insufficient" | "flagged" | "stable";

/** What the scheduled check does with drift, and whether it runs at all. */
function Consequence({ overview }: { overview: DriftOverview }) {
  const { autoRetrain, scheduled, lastCheck, current } = overview;
  return (
    <div className="mt-3 space-y-1 text-xs text-zinc-400" data-testid="drift-consequence">
      <p>
        Auto-retrain is <strong className="text-zinc-200">{autoRetrain ? "on" : "off"}</strong>
        {autoRetrain
          ? `: when a scheduled drift check scores above ${current.threshold}, it queues a retraining.`
          : ": drift above the threshold is flagged only (set DRIFT_AUTO_RETRAIN=1 to queue a retraining); retrain on the Jobs page."}{" "}
        {scheduled
          ? "Scheduled checks call /api/cron/drift."
          : "Scheduled checks are disabled (CRON_SECRET is not set), so drift is only computed here."}
      </p>
      <p data-testid="drift-last-check">
        {lastCheck
          ? `Last scheduled check: ${formatDateTime(lastCheck.checkedAt)}, ${
              lastCheck.score === null ? `no score (${lastCheck.note ?? "not computed"})` : `PSI ${lastCheck.score.toFixed(3)}${lastCheck.drifted ? ", flagged" : ", not flagged"}`
            }.`
          : "No scheduled check has run yet."}
      </p>
    </div>
  );
}

/**
 * Drift of recent interactions against the serving model's training data, per axis (PSI), with the
 * threshold, whether it is flagged, the sizes of both windows and what happens next.
 */
export function DriftPanel({ overview }: { overview: DriftOverview }) {
  const { current, axes } = overview;
  if (current.modelVersion === null) {
    return (
      <div data-testid="drift-panel" data-state={"no-model" satisfies State}>
        <EmptyState>
          No model serves yet, so there is no training snapshot to compare recent interactions with.{" "}
          <Link href="/admin/jobs" className="text-accent underline">Start a retraining</Link>.
        </EmptyState>
      </div>
    );
  }
  const state: State = current.score === null ? "insufficient" : current.drifted ? "flagged" : "stable";
  return (
    <div className="rounded-lg bg-ink-900 p-4 ring-1 ring-white/5" data-testid="drift-panel" data-state={state}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        {state === "flagged" && <StatusBadge status="failed" label="drift flagged" />}
        {state === "stable" && <StatusBadge status="succeeded" label="no drift" />}
        {state === "insufficient" && <StatusBadge status="queued" label="not enough new data" />}
        <p className="text-sm" data-testid="drift-score">
          {current.score === null ? "No score yet" : <>Score (largest PSI) <strong className="tabular-nums">{current.score.toFixed(3)}</strong></>}
          <span className="text-zinc-400"> · threshold {current.threshold}</span>
        </p>
        <p className="text-xs text-zinc-400">computed {formatDateTime(current.checkedAt)}</p>
      </div>
      <p className="mt-2 text-sm text-zinc-300" data-testid="drift-window">
        <strong className="tabular-nums">{formatNumber(current.recentInteractions)}</strong> {countNoun(current.recentInteractions, "interaction")} since v{current.modelVersion} was trained (its data
        ends {formatDateTime(current.trainedUpTo)}), compared with {baselineText(current)}.
      </p>
      {state === "insufficient" ? (
        <p className="mt-3 rounded-md bg-ink-800 px-3 py-2 text-sm text-zinc-300" data-testid="drift-note">
          {/* the note is a clause (the scheduled-check line shows it in parentheses) */}
          {formatSentence(current.note ?? "not enough new interactions")} Drift is measured once there are enough new interactions to say anything.
        </p>
      ) : (
        <div className="relative mt-3 overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="drift-table">
            <thead className="text-xs uppercase tracking-wide text-zinc-400">
              <tr>
                <th scope="col" className="py-1 pr-3">Feature</th>
                <th scope="col" className="py-1 pr-3">Compares</th>
                <th scope="col" className="py-1 pr-3 text-right">PSI</th>
                <th scope="col" className="py-1">Flagged</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-white/5">
              {axes.map((a) => (
                <tr key={a.key} data-testid="drift-axis" data-axis={a.key} data-flagged={a.flagged || undefined}>
                  <th scope="row" className="py-1.5 pr-3 font-semibold">{a.label}</th>
                  <td className="py-1.5 pr-3 text-xs text-zinc-400">{a.measures}</td>
                  <td className="py-1.5 pr-3 text-right tabular-nums" data-testid="drift-psi">{a.psi === null ? "—" : a.psi.toFixed(3)}</td>
                  <td className="py-1.5">
                    {a.flagged ? <StatusBadge status="failed" label={`above ${current.threshold}`} /> : <span className="text-xs text-zinc-400">no</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="mt-2 text-xs text-zinc-400">PSI rule of thumb: below 0.1 stable, 0.1–0.25 a moderate shift, above 0.25 a significant one.</p>
        </div>
      )}
      <Consequence overview={overview} />
    </div>
  );
}

/**
 * What the new interactions are compared with: the training data, as far as the table still holds
 * it as training read it (re-simulating or re-importing may change rows' times, which then count
 * as new; new stars on a rating at the same time leave it in the training data).
 */
function baselineText(report: DriftOverview["current"]) {
  const kept = <strong className="tabular-nums">{formatNumber(report.baselineInteractions)}</strong>;
  const trained = report.trainedInteractions;
  if (trained == null || report.baselineInteractions >= trained) return <>the {kept} it was trained on</>;
  return (
    <>
      the {kept} of the <span className="tabular-nums">{formatNumber(trained)}</span> it was trained on that are still as it read them (the others
      were deleted since, or changed in what training reads, such as their time, and count as new)
    </>
  );
}
