import Link from "next/link";
import { jobRequester } from "@/lib/jobs/origin";
import type { Run } from "@/lib/mlops/runs";
import { CompareRunsForm } from "./compare-runs-form";
import { formatCount, formatDateTime, formatDuration, formatMetric, formatNumber, formatParams } from "./format";
import { EmptyState } from "./section";
import { StatusBadge } from "./status-badge";

function dataText(run: Run): string {
  const s = run.snapshot;
  return s.users === null ? "—" : `${formatNumber(s.users)} × ${formatNumber(s.items ?? 0)}, ${formatCount(s.interactions ?? 0, "interaction")}`;
}

/** Every run, newest first; tick two or more and press Compare (CompareRunsForm). */
export function RunsTable({ runs, selected, servingVersion }: { runs: Run[]; selected: number[]; servingVersion: number | null }) {
  if (runs.length === 0) {
    return (
      <EmptyState>
        No training runs yet. Start a retraining on the <Link href="/admin/jobs" className="text-accent underline">Jobs page</Link> or run{" "}
        <code>npm run train</code>.
      </EmptyState>
    );
  }
  const picked = new Set(selected);
  return (
    <CompareRunsForm>
      <div className="relative overflow-x-auto rounded-lg ring-1 ring-white/5">
        <table className="w-full text-left text-sm" data-testid="runs-table">
          <thead className="bg-ink-900 text-xs uppercase tracking-wide text-zinc-400">
            <tr>
              <th scope="col" className="px-3 py-2"><span className="sr-only">Select</span></th>
              <th scope="col" className="px-3 py-2">Run</th>
              <th scope="col" className="px-3 py-2">Status</th>
              <th scope="col" className="px-3 py-2">Algorithm / params</th>
              <th scope="col" className="px-3 py-2 text-right">nDCG@10</th>
              <th scope="col" className="px-3 py-2 text-right">P@10</th>
              <th scope="col" className="px-3 py-2 text-right">R@10</th>
              <th scope="col" className="px-3 py-2 text-right">Coverage</th>
              <th scope="col" className="px-3 py-2">Data (users × movies)</th>
              <th scope="col" className="px-3 py-2">Started / took / by</th>
              <th scope="col" className="px-3 py-2">Code</th>
              <th scope="col" className="px-3 py-2"><span className="sr-only">Links</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-white/5">
            {runs.map((r) => (
              <tr key={r.id} id={`run-${r.id}`} data-testid="run-row" data-run-id={r.id} data-status={r.status} className={`align-top ${r.serving ? "bg-accent/5" : ""}`}>
                <td className="px-3 py-2">
                  <input
                    type="checkbox"
                    name="compare"
                    value={r.id}
                    defaultChecked={picked.has(r.id)}
                    aria-label={`Select run v${r.id} to compare`}
                    className="size-4 accent-[#f5c518]"
                  />
                </td>
                <th scope="row" className="whitespace-nowrap px-3 py-2 font-semibold">v{r.id}</th>
                <td className="space-x-1 whitespace-nowrap px-3 py-2">
                  <StatusBadge status={r.status} />
                  {r.status === "ready" && <StatusBadge status={r.stage} />}
                  {r.serving && <StatusBadge status="serving" />}
                  {r.status === "failed" && r.outcome && <p className="mt-1 max-w-64 whitespace-normal text-xs text-red-300">{r.outcome}</p>}
                </td>
                <td className="px-3 py-2">
                  <div className="font-semibold">{r.algorithm}</div>
                  <div className="max-w-72 text-xs text-zinc-400">{formatParams(r.params)}</div>
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{formatMetric(r.metrics["ndcg@10"])}</td>
                <td className="px-3 py-2 text-right tabular-nums">{formatMetric(r.metrics["precision@10"])}</td>
                <td className="px-3 py-2 text-right tabular-nums">{formatMetric(r.metrics["recall@10"])}</td>
                <td className="px-3 py-2 text-right tabular-nums">{formatMetric(r.metrics.coverage)}</td>
                <td className="px-3 py-2 text-xs text-zinc-300">{dataText(r)}</td>
                <td className="whitespace-nowrap px-3 py-2 text-xs text-zinc-400">
                  {formatDateTime(r.createdAt)}
                  <br />
                  {r.status === "training" ? "running…" : `took ${formatDuration(r.durationMs)}`}
                  <br />
                  by {jobRequester({ requestedBy: r.startedBy, trigger: r.trigger })}
                </td>
                <td className="whitespace-nowrap px-3 py-2 font-mono text-xs text-zinc-400">{r.codeVersion ?? "—"}</td>
                <td className="whitespace-nowrap px-3 py-2 text-xs">
                  {servingVersion !== null && !r.serving && (
                    <Link href={`/admin/runs?compare=${servingVersion},${r.id}`} className="text-accent underline" aria-label={`Compare v${r.id} with the serving v${servingVersion}`}>
                      vs serving
                    </Link>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </CompareRunsForm>
  );
}
