import type { AdminModelVersion } from "@/lib/mlops/actions";
import { formatCount, formatDateTime, formatDuration, formatMetric, formatParams } from "./format";
import { PromoteButton } from "./model-actions";
import { EmptyState } from "./section";
import { StatusBadge } from "./status-badge";

function snapshotText(snapshot: Record<string, unknown>): string {
  const n = (k: string, noun: string) => (typeof snapshot[k] === "number" ? formatCount(snapshot[k] as number, noun) : `? ${noun}s`);
  return snapshot.users === undefined ? "—" : `${n("users", "user")} × ${n("items", "movie")}, ${n("interactions", "interaction")}`;
}

/**
 * Every model version, newest first, with what it was trained on, how it scored and whether it
 * serves; a failed one with why (`failures`, by version id: the runs' outcomes).
 */
export function ModelsTable({ versions, failures = new Map() }: { versions: AdminModelVersion[]; failures?: Map<number, string> }) {
  if (versions.length === 0) return <EmptyState>No model versions yet. Start a retraining on the Jobs page.</EmptyState>;
  return (
    <div className="relative overflow-x-auto rounded-lg ring-1 ring-white/5">
      <table className="w-full text-left text-sm" data-testid="models-table">
        <thead className="bg-ink-900 text-xs uppercase tracking-wide text-zinc-400">
          <tr>
            <th scope="col" className="px-3 py-2">Version</th>
            {/* the action next to the version, not in the last column: on a phone it was off-screen */}
            <th scope="col" className="px-3 py-2"><span className="sr-only">Actions</span></th>
            <th scope="col" className="px-3 py-2">Algorithm / params</th>
            <th scope="col" className="px-3 py-2 text-right">nDCG@10</th>
            <th scope="col" className="px-3 py-2 text-right">P@10</th>
            <th scope="col" className="px-3 py-2 text-right">R@10</th>
            <th scope="col" className="px-3 py-2 text-right">Coverage</th>
            <th scope="col" className="px-3 py-2">Data</th>
            <th scope="col" className="px-3 py-2">Trained</th>
            <th scope="col" className="px-3 py-2">Status</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-white/5">
          {versions.map((v) => (
            <tr key={v.id} data-testid="model-row" data-version-id={v.id} data-serving={v.serving || undefined} className={`align-top ${v.serving ? "bg-accent/5" : ""}`}>
              {/* focusable from script: where focus goes once this version is promoted (its button goes away) */}
              <th scope="row" id={`model-v${v.id}`} tabIndex={-1} className="whitespace-nowrap px-3 py-2 font-semibold">
                v{v.id} {v.serving && <StatusBadge status="serving" />}
              </th>
              <td className="px-3 py-2">{v.status === "ready" && v.cached && !v.serving && <PromoteButton versionId={v.id} focusWhenDone={`model-v${v.id}`} />}</td>
              <td className="px-3 py-2">
                <div className="font-semibold">{v.algorithm}</div>
                <div className="max-w-72 text-xs text-zinc-400">{formatParams(v.params)}</div>
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{formatMetric(v.metrics["ndcg@10"])}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatMetric(v.metrics["precision@10"])}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatMetric(v.metrics["recall@10"])}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatMetric(v.metrics.coverage)}</td>
              <td className="px-3 py-2 text-xs text-zinc-300">{snapshotText(v.snapshot)}</td>
              <td className="whitespace-nowrap px-3 py-2 text-xs text-zinc-400">
                {formatDateTime(v.createdAt)}
                {/* a version still training has no duration yet ("in —" read as broken) */}
                {v.durationMs != null && (
                  <>
                    <br />
                    in {formatDuration(v.durationMs)}
                  </>
                )}
              </td>
              <td className="space-x-1 whitespace-nowrap px-3 py-2">
                <StatusBadge status={v.status} />
                {v.status === "ready" && <StatusBadge status={v.stage} />}
                {v.status === "ready" && !v.cached && <p className="mt-1 text-xs text-zinc-400">cache pruned</p>}
                {v.status === "failed" && failures.has(v.id) && (
                  <p className="mt-1 max-w-64 whitespace-normal text-xs text-zinc-400" data-testid="model-failure">
                    {failures.get(v.id)}
                  </p>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
