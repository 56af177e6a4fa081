// A hand-written SVG of what a simulation produced: rating vs watch time, and the item popularity
// long tail. Pure: data in, SVG text out.

export type PlotData = {
  /** One point per rated movie: the rating and how long that movie was watched. */
  points: { rating: number; watchSeconds: number }[];
  /** Watch interactions per movie (any order). */
  itemCounts: number[];
  title?: string;
};

const W = 1000;
const H = 460;
const PANEL = { top: 70, bottom: 390, width: 400 };
const LEFT_X = 80;
const RIGHT_X = 570;
const MAX_POINTS = 4000;

/** Escape text for SVG content (shared with lib/bench/growth-plot.ts). */
export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Round numbers for axis ticks covering [0, max]. */
export function niceTicks(max: number, target = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / target;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toFixed(6)));
  if (ticks[ticks.length - 1] < max) ticks.push(Number((ticks[ticks.length - 1] + step).toFixed(6)));
  return ticks;
}

function fmt(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(n % 1000 === 0 ? 0 : 1)}k` : String(n);
}

export function renderSimulationPlot(data: PlotData): string {
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="12" fill="#1f2937">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="28" text-anchor="middle" font-size="18" font-weight="600">${esc(data.title ?? "Simulated interactions")}</text>`,
  );
  out.push(...scatterPanel(data.points), ...longTailPanel(data.itemCounts));
  out.push("</svg>");
  return out.join("\n");
}

function axes(x0: number, ticksX: { v: number; label: string }[], ticksY: number[], sx: (v: number) => number, sy: (v: number) => number, xLabel: string, yLabel: string): string[] {
  const out: string[] = [];
  const x1 = x0 + PANEL.width;
  for (const t of ticksY) {
    const y = sy(t).toFixed(1);
    out.push(`<line x1="${x0}" x2="${x1}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${x0 - 8}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="#4b5563">${fmt(t)}</text>`);
  }
  for (const t of ticksX) {
    const x = sx(t.v).toFixed(1);
    out.push(`<line x1="${x}" x2="${x}" y1="${PANEL.bottom}" y2="${PANEL.bottom + 5}" stroke="#6b7280"/>`);
    out.push(`<text x="${x}" y="${PANEL.bottom + 20}" text-anchor="middle" fill="#4b5563">${esc(t.label)}</text>`);
  }
  out.push(`<line x1="${x0}" x2="${x1}" y1="${PANEL.bottom}" y2="${PANEL.bottom}" stroke="#6b7280"/>`);
  out.push(`<line x1="${x0}" x2="${x0}" y1="${PANEL.top}" y2="${PANEL.bottom}" stroke="#6b7280"/>`);
  out.push(`<text x="${x0 + PANEL.width / 2}" y="${PANEL.bottom + 44}" text-anchor="middle" font-size="13">${esc(xLabel)}</text>`);
  const yMid = (PANEL.top + PANEL.bottom) / 2;
  out.push(`<text x="${x0 - 52}" y="${yMid}" text-anchor="middle" font-size="13" transform="rotate(-90 ${x0 - 52} ${yMid})">${esc(yLabel)}</text>`);
  return out;
}

function scatterPanel(points: PlotData["points"]): string[] {
  const x0 = LEFT_X;
  const minutes = points.map((p) => p.watchSeconds / 60);
  const ticksY = niceTicks(Math.max(1, ...minutes.slice(0, 100_000)));
  const yMax = ticksY[ticksY.length - 1];
  const sx = (r: number) => x0 + ((r - 0.25) / 5) * PANEL.width;
  const sy = (m: number) => PANEL.bottom - (m / yMax) * (PANEL.bottom - PANEL.top);
  const ticksX = [1, 2, 3, 4, 5].map((v) => ({ v, label: `${v}★` }));
  const out = [
    `<text x="${x0 + PANEL.width / 2}" y="${PANEL.top - 16}" text-anchor="middle" font-size="14" font-weight="600">Rating vs watch time (${points.length.toLocaleString("en-US")} rated watches)</text>`,
    ...axes(x0, ticksX, ticksY, sx, sy, "rating (stars)", "watch time (minutes)"),
  ];
  // Deterministic thinning and horizontal jitter: ratings sit on half stars and would overplot.
  const step = Math.max(1, Math.ceil(points.length / MAX_POINTS));
  out.push(`<g fill="#2563eb" fill-opacity="0.22">`);
  for (let i = 0; i < points.length; i += step) {
    const jitter = (((i * 2654435761) >>> 0) / 4294967296 - 0.5) * 0.3;
    out.push(`<circle cx="${sx(points[i].rating + jitter).toFixed(1)}" cy="${sy(minutes[i]).toFixed(1)}" r="2.2"/>`);
  }
  out.push("</g>");
  // The mean per rating makes the correlation readable at a glance.
  const byRating = new Map<number, { sum: number; n: number }>();
  points.forEach((p, i) => {
    const b = byRating.get(p.rating) ?? { sum: 0, n: 0 };
    b.sum += minutes[i];
    b.n++;
    byRating.set(p.rating, b);
  });
  const means = [...byRating.entries()].sort((a, b) => a[0] - b[0]).map(([r, b]) => [sx(r), sy(b.sum / b.n)] as const);
  if (means.length > 0) {
    out.push(`<polyline fill="none" stroke="#dc2626" stroke-width="2.5" points="${means.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ")}"/>`);
    for (const [x, y] of means) out.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3.5" fill="#dc2626"/>`);
    out.push(`<text x="${x0 + 10}" y="${PANEL.top + 6}" fill="#dc2626" font-size="12">— mean watch time per rating</text>`);
  }
  return out;
}

function longTailPanel(itemCounts: number[]): string[] {
  const x0 = RIGHT_X;
  const counts = itemCounts.filter((c) => c > 0).sort((a, b) => b - a);
  const total = counts.reduce((a, b) => a + b, 0);
  const ticksY = niceTicks(Math.max(1, counts[0] ?? 1));
  const yMax = ticksY[ticksY.length - 1];
  const n = Math.max(1, counts.length);
  const sx = (rank: number) => x0 + (rank / n) * PANEL.width;
  const sy = (c: number) => PANEL.bottom - (c / yMax) * (PANEL.bottom - PANEL.top);
  const ticksX = niceTicks(n, 4)
    .filter((v) => v <= n)
    .map((v) => ({ v, label: fmt(v) }));
  const out = [
    `<text x="${x0 + PANEL.width / 2}" y="${PANEL.top - 16}" text-anchor="middle" font-size="14" font-weight="600">Popularity long tail (${counts.length.toLocaleString("en-US")} movies watched)</text>`,
    ...axes(x0, ticksX, ticksY, sx, sy, "movies ranked by watches", "watches per movie"),
  ];
  if (counts.length > 0) {
    // One vertex per pixel column is enough for the curve.
    const stepRank = Math.max(1, Math.floor(counts.length / PANEL.width));
    const pts: string[] = [`${sx(0).toFixed(1)},${PANEL.bottom}`];
    for (let r = 0; r < counts.length; r += stepRank) pts.push(`${sx(r).toFixed(1)},${sy(counts[r]).toFixed(1)}`);
    pts.push(`${sx(counts.length).toFixed(1)},${sy(counts[counts.length - 1]).toFixed(1)}`, `${sx(counts.length).toFixed(1)},${PANEL.bottom}`);
    out.push(`<polygon fill="#7c3aed" fill-opacity="0.25" stroke="#7c3aed" stroke-width="1.5" points="${pts.join(" ")}"/>`);
    const head = Math.max(1, Math.round(counts.length * 0.1));
    const headShare = counts.slice(0, head).reduce((a, b) => a + b, 0) / total;
    const xHead = sx(head).toFixed(1);
    out.push(`<line x1="${xHead}" x2="${xHead}" y1="${PANEL.top}" y2="${PANEL.bottom}" stroke="#7c3aed" stroke-dasharray="4 3"/>`);
    out.push(
      `<text x="${Number(xHead) + 8}" y="${PANEL.top + 20}" fill="#5b21b6">top 10% of movies (${head.toLocaleString("en-US")})</text>`,
      `<text x="${Number(xHead) + 8}" y="${PANEL.top + 36}" fill="#5b21b6">get ${(headShare * 100).toFixed(0)}% of all watches</text>`,
    );
  }
  return out;
}
