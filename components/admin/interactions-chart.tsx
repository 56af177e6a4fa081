"use client";

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import type { ActivityBucket, ActivitySeries } from "@/lib/mlops/stats";

const tooltipLabel = { day: (s: string) => s, week: (s: string) => `week of ${s}`, month: (s: string) => s, year: (s: string) => s };

/**
 * Interactions per day, week, month or year, as bars. The bars are an image to screen readers
 * (no tab stop inside); the counts themselves are in a table only they read.
 */
export function InteractionsChart({ data, unit }: { data: ActivityBucket[]; unit: ActivitySeries["unit"] }) {
  return (
    <div data-testid="interactions-chart" data-unit={unit}>
      <div role="img" aria-label={`Interactions per ${unit} from ${data[0]?.start} to ${data.at(-1)?.start}`}>
        <BarChart accessibilityLayer={false} responsive style={{ width: "100%", height: 240 }} data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#222637" vertical={false} />
          <XAxis dataKey="start" tick={{ fill: "#a1a1aa", fontSize: 11 }} tickFormatter={(s: string) => (unit === "day" || unit === "week" ? s.slice(5) : s)} minTickGap={24} />
          <YAxis tick={{ fill: "#a1a1aa", fontSize: 11 }} width={48} allowDecimals={false} />
          <Tooltip
            cursor={{ fill: "#ffffff10" }}
            contentStyle={{ background: "#0d0f16", border: "1px solid #222637", borderRadius: 6 }}
            labelStyle={{ color: "#e4e4e7" }}
            labelFormatter={(s) => tooltipLabel[unit](String(s))}
            formatter={(value) => [value, "interactions"]}
          />
          <Bar dataKey="count" fill="#f5c518" isAnimationActive={false} />
        </BarChart>
      </div>
      {/* a table's height is its rows': sr-only sizes its wrapper, or the 60 rows stretched the page below the footer (QA) */}
      <div className="sr-only">
        <table>
          <caption>Interactions per {unit}</caption>
          <thead>
            <tr>
              <th scope="col">{unit === "week" ? "Week of" : unit[0].toUpperCase() + unit.slice(1)}</th>
              <th scope="col">Interactions</th>
            </tr>
          </thead>
          <tbody>
            {data.map((b) => (
              <tr key={b.start}>
                <th scope="row">{b.start}</th>
                <td>{b.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
