// A hand-written SVG of how training grows with the data: wall-clock time and peak memory against
// interactions, one point per measured size, with the issue's targets as dashed lines.
// Pure: data in, SVG text out (no browser).
import { esc, niceTicks } from "@/lib/simulate/plot";

export type GrowthPoint = {
  interactions: number;
  totalSeconds: number;
  /** The item-knn top-K neighbour computation alone (part of the total). */
  neighborSeconds?: number;
  peakRssGB: number;
};

export type GrowthPlot = {
  points: GrowthPoint[];
  title: string;
  subtitle?: string;
  /** Dashed target lines. */
  targetSeconds?: number;
  targetGB?: number;
  /** Optional reference point (e.g. scipy's neighbour step) drawn as a diamond on the time panel. */
  reference?: { interactions: number; seconds: number; label: string };
};

const W = 1000;
const H = 470;
const TOP = 90;
const BOTTOM = 400;
const PANEL_W = 380;
const LEFT_X = 80;
const RIGHT_X = 580;

function fmt(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString("en-US") : n.toFixed(1);
}

function panel(
  x0: number,
  title: string,
  yLabel: string,
  xMax: number,
  series: { name: string; color: string; values: { x: number; y: number }[]; dashed?: boolean }[],
  target: { value: number; label: string } | undefined,
  extra: { x: number; y: number; label: string } | undefined,
): string[] {
  const yMaxData = Math.max(1e-9, ...series.flatMap((s) => s.values.map((v) => v.y)), target?.value ?? 0, extra?.y ?? 0);
  const ticksY = niceTicks(yMaxData);
  const yMax = ticksY[ticksY.length - 1];
  const ticksX = niceTicks(xMax);
  const xTop = ticksX[ticksX.length - 1];
  const sx = (v: number) => x0 + (v / xTop) * PANEL_W;
  const sy = (v: number) => BOTTOM - (v / yMax) * (BOTTOM - TOP);
  const out: string[] = [`<text x="${x0 + PANEL_W / 2}" y="${TOP - 14}" text-anchor="middle" font-size="14" font-weight="600">${esc(title)}</text>`];
  for (const t of ticksY) {
    out.push(`<line x1="${x0}" x2="${x0 + PANEL_W}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${x0 - 8}" y="${sy(t).toFixed(1)}" text-anchor="end" dominant-baseline="middle" fill="#4b5563">${fmt(t)}</text>`);
  }
  for (const t of ticksX) {
    out.push(`<line x1="${sx(t).toFixed(1)}" x2="${sx(t).toFixed(1)}" y1="${BOTTOM}" y2="${BOTTOM + 5}" stroke="#6b7280"/>`);
    out.push(`<text x="${sx(t).toFixed(1)}" y="${BOTTOM + 20}" text-anchor="middle" fill="#4b5563">${fmt(t)}M</text>`);
  }
  out.push(`<line x1="${x0}" x2="${x0 + PANEL_W}" y1="${BOTTOM}" y2="${BOTTOM}" stroke="#6b7280"/>`);
  out.push(`<line x1="${x0}" x2="${x0}" y1="${TOP}" y2="${BOTTOM}" stroke="#6b7280"/>`);
  out.push(`<text x="${x0 + PANEL_W / 2}" y="${BOTTOM + 44}" text-anchor="middle" font-size="13">interactions (millions)</text>`);
  const yMid = (TOP + BOTTOM) / 2;
  out.push(`<text x="${x0 - 55}" y="${yMid}" text-anchor="middle" font-size="13" transform="rotate(-90 ${x0 - 55} ${yMid})">${esc(yLabel)}</text>`);
  if (target) {
    const y = sy(target.value).toFixed(1);
    out.push(`<line x1="${x0}" x2="${x0 + PANEL_W}" y1="${y}" y2="${y}" stroke="#dc2626" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${x0 + PANEL_W - 4}" y="${Number(y) - 6}" text-anchor="end" fill="#b91c1c">${esc(target.label)}</text>`);
  }
  series.forEach((s, k) => {
    const pts = [...s.values].sort((a, b) => a.x - b.x);
    if (pts.length === 0) return;
    out.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="5 3"' : ""} points="${pts.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(" ")}"/>`,
    );
    for (const p of pts) {
      out.push(`<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="4" fill="${s.color}"/>`);
      out.push(`<text x="${(sx(p.x) + 6).toFixed(1)}" y="${(sy(p.y) - 8).toFixed(1)}" font-size="11" fill="${s.color}">${fmt(Math.round(p.y * 10) / 10)}</text>`);
    }
    out.push(`<rect x="${x0 + 10}" y="${TOP + 8 + k * 18}" width="14" height="4" fill="${s.color}"/>`);
    out.push(`<text x="${x0 + 30}" y="${TOP + 13 + k * 18}" font-size="12" dominant-baseline="middle">${esc(s.name)}</text>`);
  });
  if (extra) {
    const x = sx(extra.x);
    const y = sy(extra.y);
    out.push(`<path d="M ${x.toFixed(1)} ${(y - 6).toFixed(1)} l 6 6 l -6 6 l -6 -6 z" fill="#0f766e"/>`);
    out.push(`<text x="${(x - 8).toFixed(1)}" y="${(y + 20).toFixed(1)}" text-anchor="end" font-size="11" fill="#0f766e">${esc(extra.label)}</text>`);
  }
  return out;
}

export function renderGrowthPlot(plot: GrowthPlot): string {
  const xMax = Math.max(1, ...plot.points.map((p) => p.interactions / 1e6), (plot.reference?.interactions ?? 0) / 1e6);
  const time = [
    { name: "whole npm run train", color: "#2563eb", values: plot.points.map((p) => ({ x: p.interactions / 1e6, y: p.totalSeconds })) },
    {
      name: "item-knn top-50 neighbours",
      color: "#7c3aed",
      dashed: true,
      values: plot.points.filter((p) => p.neighborSeconds !== undefined).map((p) => ({ x: p.interactions / 1e6, y: p.neighborSeconds! })),
    },
  ];
  const memory = [{ name: "peak RSS", color: "#ea580c", values: plot.points.map((p) => ({ x: p.interactions / 1e6, y: p.peakRssGB })) }];
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="12" fill="#1f2937">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="28" text-anchor="middle" font-size="18" font-weight="600">${esc(plot.title)}</text>`,
    plot.subtitle ? `<text x="${W / 2}" y="50" text-anchor="middle" fill="#4b5563">${esc(plot.subtitle)}</text>` : "",
    ...panel(
      LEFT_X,
      "Training time",
      "seconds (wall clock)",
      xMax,
      time,
      plot.targetSeconds ? { value: plot.targetSeconds, label: `target ${plot.targetSeconds} s` } : undefined,
      plot.reference ? { x: plot.reference.interactions / 1e6, y: plot.reference.seconds, label: plot.reference.label } : undefined,
    ),
    ...panel(RIGHT_X, "Peak memory", "peak RSS (GB)", xMax, memory, plot.targetGB ? { value: plot.targetGB, label: `target ${plot.targetGB} GB` } : undefined, undefined),
    "</svg>",
  ];
  return out.filter(Boolean).join("\n");
}
