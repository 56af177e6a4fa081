// Formatting shared by the admin's server and client components. Dates are UTC so the server's
// HTML and the browser's render agree. Numbers and counts read as everywhere else in the app.

export { countNoun, formatCount, formatNumber } from "@/lib/util/format";

export function formatDateTime(ms: number | null | undefined): string {
  if (ms == null) return "—";
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms == null) return "—";
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

export function formatMetric(value: number | undefined): string {
  return value === undefined ? "—" : value.toFixed(4);
}

/** A clause as a sentence of its own: "not enough … (12 < 50)" → "Not enough … (12 < 50)." */
export function formatSentence(text: string): string {
  const t = text.trim();
  if (t === "") return t;
  const capitalised = t[0].toUpperCase() + t.slice(1);
  return /[.!?…]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/** Compact `key=value` list for params and snapshots. */
export function formatParams(params: Record<string, unknown>): string {
  const entries = Object.entries(params);
  if (entries.length === 0) return "defaults";
  return entries.map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`).join(", ");
}

/**
 * A metric axis tick as the value it marks, to at most 4 decimals without trailing zeros: the
 * chart's own ticks can fall at 0.035 steps, which two fixed decimals labelled 0.04, 0.07, 0.10.
 */
export function formatMetricTick(value: number): string {
  return String(Number(value.toFixed(4)));
}

// Metric keys (as stored and sent by the API) as the admin names them; the short form is for
// narrow places: table column headers and a chart's axis.
const METRIC_LABELS: Record<string, [full: string, short: string]> = {
  "ndcg@10": ["nDCG@10", "nDCG@10"],
  "precision@10": ["precision@10", "P@10"],
  "recall@10": ["recall@10", "R@10"],
  map: ["MAP", "MAP"],
  coverage: ["coverage", "coverage"],
  novelty: ["novelty", "novelty"],
};

/** "ndcg@10" → "nDCG@10" (short: "precision@10" → "P@10"); an unknown key as it is. */
export function metricLabel(key: string, form: "full" | "short" = "full"): string {
  return METRIC_LABELS[key]?.[form === "full" ? 0 : 1] ?? key;
}

/** Compare with fewer than two runs (the form, and the runs page for `?compare=<one id>`); here, not in the client form's module, so the server page gets the string itself. */
export const TOO_FEW_RUNS = "Tick at least two runs to compare.";
