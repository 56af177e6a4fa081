"use client";

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";

/** Interactions per day, as bars. */
export function InteractionsChart({ data }: { data: { day: string; count: number }[] }) {
  return (
    <div role="img" aria-label={`Interactions per day from ${data[0]?.day} to ${data.at(-1)?.day}`} data-testid="interactions-chart">
      <BarChart responsive style={{ width: "100%", height: 240 }} data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="#222637" vertical={false} />
        <XAxis dataKey="day" tick={{ fill: "#a1a1aa", fontSize: 11 }} tickFormatter={(d: string) => d.slice(5)} minTickGap={24} />
        <YAxis tick={{ fill: "#a1a1aa", fontSize: 11 }} width={48} allowDecimals={false} />
        <Tooltip
          cursor={{ fill: "#ffffff10" }}
          contentStyle={{ background: "#0d0f16", border: "1px solid #222637", borderRadius: 6 }}
          labelStyle={{ color: "#e4e4e7" }}
          formatter={(value) => [value, "interactions"]}
        />
        <Bar dataKey="count" fill="#f5c518" isAnimationActive={false} />
      </BarChart>
    </div>
  );
}
