import { gte, max, sql } from "drizzle-orm";
import { countMovies } from "@/lib/catalog/queries";
import { getDb } from "@/lib/db";
import { utcDay } from "@/lib/db/sql";
import { interactions, type ModelVersion } from "@/lib/db/schema";
import { countInteractions, countUsers } from "@/lib/interactions/queries";
import { getServingVersion } from "./registry";

// The admin overview's numbers: how big the catalog and the audience are, how active, and what serves.

const DAY_MS = 86_400_000;

export type DailyCount = { day: string; count: number };

export type OverviewStats = {
  catalogMovies: number;
  users: { total: number; accounts: number; simulated: number; imported: number };
  interactions: number;
  /** One entry per day (UTC), oldest first, ending on the day of the latest interaction. */
  interactionsPerDay: DailyCount[];
  serving: ModelVersion | null;
};

export async function getOverviewStats(days = 60): Promise<OverviewStats> {
  const [catalogMovies, total, accounts, simulated, imported, interactionCount, perDay, serving] = await Promise.all([
    countMovies(),
    countUsers(),
    countUsers({ source: "app" }),
    countUsers({ source: "simulated" }),
    countUsers({ source: "imported" }),
    countInteractions(),
    countInteractionsPerDay(days),
    getServingVersion(),
  ]);
  return {
    catalogMovies,
    users: { total, accounts, simulated, imported },
    interactions: interactionCount,
    interactionsPerDay: perDay,
    serving,
  };
}

/**
 * Interactions per UTC day over the `days` days up to the latest interaction (not up to today:
 * simulated and imported histories end in the past, and an empty chart would say nothing).
 * Days without interactions are included as zeros.
 */
export async function countInteractionsPerDay(days = 60): Promise<DailyCount[]> {
  const db = getDb();
  const [latest] = await db.select({ at: max(interactions.createdAt) }).from(interactions);
  if (latest?.at == null) return [];
  const lastDay = Math.floor(latest.at / DAY_MS) * DAY_MS;
  const firstDay = lastDay - (days - 1) * DAY_MS;
  const day = utcDay(interactions.createdAt);
  const rows = await db
    .select({ day, n: sql<number>`count(*)` })
    .from(interactions)
    .where(gte(interactions.createdAt, firstDay))
    .groupBy(day);
  const byDay = new Map(rows.map((r) => [r.day, Number(r.n)]));
  const out: DailyCount[] = [];
  for (let t = firstDay; t <= lastDay; t += DAY_MS) {
    const key = new Date(t).toISOString().slice(0, 10);
    out.push({ day: key, count: byDay.get(key) ?? 0 });
  }
  return out;
}
