import { gte, max, min, sql } from "drizzle-orm";
import { countMovies } from "@/lib/catalog/queries";
import { getDb } from "@/lib/db";
import { utcDay } from "@/lib/db/sql";
import { interactions, type ModelVersion } from "@/lib/db/schema";
import { countInteractions, countUsers } from "@/lib/interactions/queries";
import { getServingVersion } from "./registry";

// The admin overview's numbers: how big the catalog and the audience are, how active, and what serves.

const DAY_MS = 86_400_000;

/** The overview chart's span: the last 60 days, the last year, or everything. */
export const ACTIVITY_RANGES = ["60d", "1y", "all"] as const;
export type ActivityRange = (typeof ACTIVITY_RANGES)[number];

/** Interactions in one bucket: `start` is its first UTC day (YYYY-MM-DD), YYYY-MM for a month, YYYY for a year. */
export type ActivityBucket = { start: string; count: number };

export type ActivitySeries = {
  range: ActivityRange;
  unit: "day" | "week" | "month" | "year";
  /** Oldest first, with empty buckets as zeros, ending with the bucket of the latest interaction. */
  buckets: ActivityBucket[];
  /** The day (YYYY-MM-DD, UTC) of the latest interaction, or null when there is none. */
  latestDay: string | null;
};

export type OverviewStats = {
  catalogMovies: number;
  users: { total: number; accounts: number; simulated: number; imported: number };
  interactions: number;
  /** Interactions over time, up to the latest interaction. */
  activity: ActivitySeries;
  serving: ModelVersion | null;
};

export async function getOverviewStats(range: ActivityRange = "60d"): Promise<OverviewStats> {
  const [catalogMovies, total, accounts, simulated, imported, interactionCount, activity, serving] = await Promise.all([
    countMovies(),
    countUsers(),
    countUsers({ source: "app" }),
    countUsers({ source: "simulated" }),
    countUsers({ source: "imported" }),
    countInteractions(),
    countInteractionsOver(range),
    getServingVersion(),
  ]);
  return {
    catalogMovies,
    users: { total, accounts, simulated, imported },
    interactions: interactionCount,
    activity,
    serving,
  };
}

/**
 * Interactions over `range`, up to the latest interaction (not up to today: simulated and imported
 * histories end in the past, and an empty chart would say nothing). The last 60 days go by day,
 * the last year by week (weeks start on Monday); everything goes by the finest of day, week, month
 * or year that keeps the chart to at most 120 bars.
 */
export async function countInteractionsOver(range: ActivityRange): Promise<ActivitySeries> {
  const db = getDb();
  const [bounds] = await db.select({ first: min(interactions.createdAt), latest: max(interactions.createdAt) }).from(interactions);
  if (bounds?.latest == null || bounds.first == null) return { range, unit: "day", buckets: [], latestDay: null };
  const lastDay = startOfDay(bounds.latest);
  const from = range === "60d" ? lastDay - 59 * DAY_MS : range === "1y" ? lastDay - 364 * DAY_MS : startOfDay(bounds.first);
  const unit = range === "60d" ? "day" : range === "1y" ? "week" : unitFor(from, lastDay);
  const firstDay = bucketStart(from, unit); // whole weeks and months only
  const day = utcDay(interactions.createdAt);
  const rows = await db
    .select({ day, n: sql<number>`count(*)` })
    .from(interactions)
    .where(gte(interactions.createdAt, firstDay))
    .groupBy(day);
  const counts = new Map<string, number>();
  for (const r of rows) {
    const key = bucketOf(Date.parse(`${r.day}T00:00:00Z`), unit);
    counts.set(key, (counts.get(key) ?? 0) + Number(r.n));
  }
  const buckets: ActivityBucket[] = [];
  for (let t = firstDay; t <= lastDay; t += DAY_MS) {
    const key = bucketOf(t, unit);
    if (buckets.at(-1)?.start !== key) buckets.push({ start: key, count: counts.get(key) ?? 0 });
  }
  return { range, unit, buckets, latestDay: isoDay(lastDay) };
}

const MAX_BARS = 120;

/** The finest unit with at most MAX_BARS buckets from `firstDay` to `lastDay` (weeks and months whole). */
function unitFor(firstDay: number, lastDay: number): ActivitySeries["unit"] {
  const days = (lastDay - firstDay) / DAY_MS + 1;
  if (days <= MAX_BARS) return "day";
  if (Math.ceil((days + 6) / 7) <= MAX_BARS) return "week";
  const [y0, m0] = isoDay(firstDay).split("-").map(Number);
  const [y1, m1] = isoDay(lastDay).split("-").map(Number);
  return (y1 - y0) * 12 + (m1 - m0) + 1 <= MAX_BARS ? "month" : "year";
}

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The first day of the bucket a UTC day falls in: the day itself, its week's Monday, the 1st, or 1 January. */
function bucketStart(dayMs: number, unit: ActivitySeries["unit"]): number {
  if (unit === "day") return dayMs;
  if (unit === "month") return Date.parse(`${isoDay(dayMs).slice(0, 7)}-01T00:00:00Z`);
  if (unit === "year") return Date.parse(`${isoDay(dayMs).slice(0, 4)}-01-01T00:00:00Z`);
  return dayMs - ((new Date(dayMs).getUTCDay() + 6) % 7) * DAY_MS;
}

/** A bucket's key: its first day (YYYY-MM-DD), YYYY-MM for a month, YYYY for a year. */
function bucketOf(dayMs: number, unit: ActivitySeries["unit"]): string {
  const start = isoDay(bucketStart(dayMs, unit));
  return unit === "month" ? start.slice(0, 7) : unit === "year" ? start.slice(0, 4) : start;
}
