import { ScrollRegion } from "@/components/ui/scroll-region";
import { jobRequester } from "@/lib/jobs/origin";
import type { NumericRow, Run, RunComparison as Comparison } from "@/lib/mlops/runs";
import { formatDateTime, formatDuration, formatNumber, metricLabel } from "./format";
import { RunMetricsChart, type RunMetricsDatum } from "./run-metrics-chart";
import { StatusBadge } from "./status-badge";

const runKey = (id: number) => `run${id}`;

function runStatus(run: Run) {
  return (
    <span className="space-x-1 whitespace-nowrap">
      <StatusBadge status={run.status} />
      {run.status === "ready" && <StatusBadge status={run.stage} />}
      {run.serving && <StatusBadge status="serving" />}
    </span>
  );
}

function showValue(v: unknown): string {
  if (v === null || v === undefined) return "—";
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** A number and, for the non-baseline columns, its change against the baseline. */
function Delta({ row, i, format, tone }: { row: Pick<NumericRow, "values" | "deltas">; i: number; format: (n: number) => string; tone: boolean }) {
  const v = row.values[i];
  const d = row.deltas[i];
  if (v === null) return <>—</>;
  if (i === 0 || d === null || d === 0) return <>{format(v)}</>;
  const base = row.values[0];
  const pct = base ? ` ${d > 0 ? "+" : "−"}${Math.abs((d / base) * 100).toFixed(1)}%` : "";
  const color = tone ? (d > 0 ? "text-emerald-300" : "text-red-300") : "text-zinc-400";
  return (
    <>
      {format(v)}{" "}
      <span className={`text-xs ${color}`} data-testid="delta">
        ({d > 0 ? "+" : "−"}
        {format(Math.abs(d))},{pct})
      </span>
    </>
  );
}

/** Runs side by side: what differs in their parameters, data, duration and validation metrics, with a chart. */
export function RunComparison({ comparison }: { comparison: Comparison }) {
  const { runs } = comparison;
  // Chart the metrics on the 0–1 scale together; rank-like ones (novelty) stay in the table.
  const charted = comparison.metrics.filter((m) => m.values.every((v) => v === null || (v >= 0 && v <= 1)) && m.values.some((v) => v !== null));
  const chartData: RunMetricsDatum[] = charted.map((m) => ({ metric: m.key, ...Object.fromEntries(runs.map((r, i) => [runKey(r.id), m.values[i]])) }));
  const cell = "px-3 py-2 align-top";
  const rowHead = `${cell} whitespace-nowrap font-normal text-zinc-400`;
  const group = (label: string) => (
    <tr className="bg-ink-900/60">
      <th scope="colgroup" colSpan={runs.length + 1} className="px-3 pb-1 pt-3 text-xs font-semibold uppercase tracking-wide text-zinc-400">
        {label}
      </th>
    </tr>
  );

  return (
    <div className="space-y-4" data-testid="run-comparison" data-run-ids={runs.map((r) => r.id).join(",")}>
      {chartData.length > 0 && (
        <div className="rounded-lg bg-ink-900 p-4 ring-1 ring-white/5">
          <h3 className="mb-2 text-sm font-semibold text-zinc-300">Validation metrics</h3>
          <RunMetricsChart data={chartData} runs={runs.map((r) => ({ key: runKey(r.id), label: `v${r.id} ${r.algorithm}` }))} />
        </div>
      )}
      <p className="text-sm text-zinc-400" data-testid="same-data">
        {comparison.sameData === null
          ? "Not every run's training data is known (a run stopped or failed before recording it), so whether the data differed cannot be said."
          : comparison.sameData
            ? "Every run was trained on the same interactions, so metric differences come from the model and its parameters."
            : "The runs were trained on different data: metric differences mix data and model changes."}
      </p>
      <ScrollRegion label="Runs side by side" className="rounded-lg ring-1 ring-white/5">
        <table className="w-full text-left text-sm" data-testid="comparison-table">
          <thead className="bg-ink-900 text-xs uppercase tracking-wide text-zinc-400">
            <tr>
              <th scope="col" className="px-3 py-2">
                <span className="sr-only">Field</span>
              </th>
              {runs.map((r) => (
                <th key={r.id} scope="col" className="px-3 py-2 text-zinc-100">
                  v{r.id} {r.algorithm}
                  {r.id === comparison.baseline && <span className="ml-1 font-normal normal-case text-zinc-400">(baseline)</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-white/5">
            <tr>
              <th scope="row" className={rowHead}>Status</th>
              {runs.map((r) => (
                <td key={r.id} className={cell}>
                  {runStatus(r)}
                  {r.outcome && (
                    <p className={`mt-1 max-w-72 text-xs ${r.status === "failed" ? "text-red-300" : "text-zinc-400"}`}>
                      {/* the gate decided when the run finished; the stage above is now (a promote or rollback may have followed) */}
                      {r.status === "failed" ? r.outcome : `Gate when trained: ${r.outcome}`}
                    </p>
                  )}
                </td>
              ))}
            </tr>
            <tr>
              <th scope="row" className={rowHead}>Code version</th>
              {runs.map((r) => (
                <td key={r.id} className={`${cell} font-mono text-xs`}>{r.codeVersion ?? "—"}</td>
              ))}
            </tr>
            <tr>
              <th scope="row" className={rowHead}>Started</th>
              {runs.map((r) => (
                <td key={r.id} className={`${cell} text-xs text-zinc-300`}>
                  {formatDateTime(r.createdAt)}
                  <br />
                  by {jobRequester({ requestedBy: r.startedBy, trigger: r.trigger })}
                </td>
              ))}
            </tr>
            <tr data-testid="comparison-duration">
              <th scope="row" className={rowHead}>Duration</th>
              {runs.map((r, i) => (
                <td key={r.id} className={`${cell} tabular-nums`}>
                  <Delta row={comparison.durationMs} i={i} format={formatDuration} tone={false} />
                </td>
              ))}
            </tr>

            {group("Parameters")}
            {comparison.params.map((p) => (
              <tr key={p.key} data-testid="comparison-param" data-key={p.key} data-differs={p.differs || undefined} className={p.differs ? "bg-accent/5" : ""}>
                <th scope="row" className={rowHead}>
                  {p.key}
                  {p.differs && <span className="ml-1 text-xs text-accent">differs</span>}
                </th>
                {p.values.map((v, i) => (
                  <td key={runs[i].id} className={`${cell} font-mono text-xs`}>{showValue(v)}</td>
                ))}
              </tr>
            ))}

            {group("Data")}
            {comparison.snapshot.map((row) => (
              <tr key={row.key}>
                <th scope="row" className={rowHead}>{row.key}</th>
                {runs.map((r, i) => (
                  <td key={r.id} className={`${cell} tabular-nums`}>
                    <Delta row={row} i={i} format={(n) => formatNumber(Math.round(n))} tone={false} />
                  </td>
                ))}
              </tr>
            ))}

            {group("Validation metrics")}
            {comparison.metrics.length === 0 && (
              <tr>
                <td colSpan={runs.length + 1} className={`${cell} text-zinc-400`}>No metrics: none of these runs finished validation.</td>
              </tr>
            )}
            {comparison.metrics.map((row) => {
              const large = row.values.some((v) => v !== null && Math.abs(v) >= 10);
              return (
                <tr key={row.key} data-testid="comparison-metric" data-key={row.key}>
                  <th scope="row" className={rowHead}>{metricLabel(row.key)}</th>
                  {runs.map((r, i) => (
                    <td key={r.id} className={`${cell} tabular-nums`}>
                      <Delta row={row} i={i} format={(n) => (large ? n.toFixed(1) : n.toFixed(4))} tone />
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollRegion>
    </div>
  );
}
