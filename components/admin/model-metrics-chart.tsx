"use client";

import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { formatMetricTick } from "./format";

export type VersionMetrics = { version: string; ndcg: number | null; precision: number | null };

/** Validation nDCG@10 and precision@10 across model versions, oldest first. */
export function ModelMetricsChart({ data }: { data: VersionMetrics[] }) {
  return (
    <div role="img" aria-label="nDCG@10 and precision@10 by model version" data-testid="model-metrics-chart">
      <LineChart accessibilityLayer={false} responsive style={{ width: "100%", height: 260 }} data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="#222637" vertical={false} />
        <XAxis dataKey="version" tick={{ fill: "#a1a1aa", fontSize: 11 }} />
        <YAxis tick={{ fill: "#a1a1aa", fontSize: 11 }} width={48} domain={[0, "auto"]} tickFormatter={formatMetricTick} />
        <Tooltip
          contentStyle={{ background: "#0d0f16", border: "1px solid #222637", borderRadius: 6 }}
          labelStyle={{ color: "#e4e4e7" }}
          formatter={(value) => (typeof value === "number" ? value.toFixed(4) : String(value))}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Line type="monotone" dataKey="ndcg" name="nDCG@10" stroke="#f5c518" strokeWidth={2} dot={{ r: 3 }} connectNulls isAnimationActive={false} />
        <Line type="monotone" dataKey="precision" name="precision@10" stroke="#38bdf8" strokeWidth={2} dot={{ r: 3 }} connectNulls isAnimationActive={false} />
      </LineChart>
    </div>
  );
}
