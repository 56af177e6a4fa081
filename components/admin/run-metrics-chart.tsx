"use client";

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis, type LegendPayload } from "recharts";
import { metricLabel } from "./format";

export type RunMetricsDatum = { metric: string } & Record<string, number | string | null>;

// One colour per compared run, the baseline first (the admin accent).
const COLORS = ["#f5c518", "#38bdf8", "#a78bfa", "#34d399", "#fb7185", "#f97316", "#e879f9", "#94a3b8"];

/**
 * The legend in the runs' order (the table's: baseline first). Recharts sorts legend items by
 * their label by default, so "v12 ease" came before the baseline "v9 popularity".
 */
export function legendRank(runs: readonly { key: string }[]) {
  return (item: LegendPayload) => runs.findIndex((r) => r.key === item.dataKey);
}

/** Validation metrics of the compared runs as grouped bars: one group per metric, one bar per run. */
export function RunMetricsChart({ data, runs }: { data: RunMetricsDatum[]; runs: { key: string; label: string }[] }) {
  return (
    <div role="img" aria-label={`Validation metrics of ${runs.map((r) => r.label).join(", ")}`} data-testid="run-metrics-chart">
      <BarChart accessibilityLayer={false} responsive style={{ width: "100%", height: 280 }} data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="#222637" vertical={false} />
        {/* every metric labelled, however narrow (Recharts drops labels it thinks collide: one went at 390 px) */}
        <XAxis dataKey="metric" tick={{ fill: "#a1a1aa", fontSize: 11 }} interval={0} tickFormatter={(key: string) => metricLabel(key, "short")} />
        <YAxis tick={{ fill: "#a1a1aa", fontSize: 11 }} width={40} domain={[0, "auto"]} tickFormatter={(v: number) => v.toFixed(2)} />
        <Tooltip
          cursor={{ fill: "#ffffff10" }}
          contentStyle={{ background: "#0d0f16", border: "1px solid #222637", borderRadius: 6 }}
          labelStyle={{ color: "#e4e4e7" }}
          labelFormatter={(key) => metricLabel(String(key))}
          formatter={(value) => (typeof value === "number" ? value.toFixed(4) : "—")}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={legendRank(runs)} />
        {runs.map((run, i) => (
          <Bar key={run.key} dataKey={run.key} name={run.label} fill={COLORS[i % COLORS.length]} isAnimationActive={false} />
        ))}
      </BarChart>
    </div>
  );
}
