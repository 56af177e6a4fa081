// The experiments domain's database access: experiment rows, impressions, clicks, and the
// report's attribution join. Services (service.ts, serve.ts) call these; nothing else touches the
// experiment tables.
import { and, desc, eq, lte, sql } from "drizzle-orm";
import { affectedRows, getDb, rawRows, type Db } from "@/lib/db";
import {
  experimentClicks,
  experimentImpressions,
  experiments,
  interactions,
  type Experiment,
  type ExperimentArm,
  type ExperimentArmCounts,
  type ExperimentImpression,
} from "@/lib/db/schema";

export async function insertExperiment(input: {
  name: string;
  primaryMetric: Experiment["primaryMetric"];
  arms: ExperimentArm[];
  createdBy: number | null;
  createdByLabel: string;
}, db: Db = getDb()): Promise<Experiment> {
  const [row] = await db
    .insert(experiments)
    .values({ ...input, status: "running", startedAt: Date.now() })
    .returning();
  return row;
}

export async function getExperiment(id: number, db: Db = getDb()): Promise<Experiment | null> {
  const [row] = await db.select().from(experiments).where(eq(experiments.id, id));
  return row ?? null;
}

export async function findRunningExperiment(db: Db = getDb()): Promise<Experiment | null> {
  const [row] = await db.select().from(experiments).where(eq(experiments.status, "running")).limit(1);
  return row ?? null;
}

export async function listExperiments(limit = 50): Promise<Experiment[]> {
  return getDb().select().from(experiments).orderBy(desc(experiments.id)).limit(limit);
}

/**
 * Mark a running experiment stopped, with what the stop decided and the counts its report keeps;
 * false when it was not running (someone else stopped it).
 */
export async function markExperimentStopped(
  id: number,
  input: Pick<Experiment, "stoppedByLabel" | "winnerArm" | "promotion" | "finalCounts"> & { stoppedAt: number },
  db: Db = getDb(),
): Promise<boolean> {
  const res = await db
    .update(experiments)
    .set({ status: "stopped", ...input })
    .where(and(eq(experiments.id, id), eq(experiments.status, "running")));
  return affectedRows(res) > 0;
}

/** One multi-row insert for a response's items (k ≤ 100 rows, far below SQLite's parameter limit). */
export async function insertImpressions(rows: ExperimentImpression[]): Promise<void> {
  if (rows.length > 0) await getDb().insert(experimentImpressions).values(rows);
}

/** The arm a user was shown a movie in, in an experiment, at or before `at`; null if never shown. */
export async function findImpressionArm(experimentId: number, userId: number, movieId: number, at: number): Promise<string | null> {
  const [row] = await getDb()
    .select({ arm: experimentImpressions.arm })
    .from(experimentImpressions)
    .where(
      and(
        eq(experimentImpressions.experimentId, experimentId),
        eq(experimentImpressions.userId, userId),
        eq(experimentImpressions.movieId, movieId),
        lte(experimentImpressions.createdAt, at),
      ),
    )
    .limit(1);
  return row?.arm ?? null;
}

/** Record the first click on a shown movie; later clicks on the same pair change nothing. */
export async function insertClick(row: typeof experimentClicks.$inferInsert): Promise<boolean> {
  return affectedRows(await getDb().insert(experimentClicks).values(row).onConflictDoNothing()) > 0;
}

/**
 * Per-arm counts up to `until`, attributed at read time: a shown (user, movie) pair counts as
 * clicked / watched / rated when that user clicked / watched / rated that movie at or after the
 * first time the arm showed it, and no later than `until`. Interactions keep one row per
 * (user, movie, kind), so each pair counts at most once per kind. The stop stores its result
 * (experiments.final_counts): interactions are rewritten later (a new simulation, an import).
 */
export async function countArmOutcomes(experimentId: number, until: number, db?: Db): Promise<ExperimentArmCounts[]> {
  const imp = experimentImpressions;
  const pairs = sql`select ${imp.arm} as arm, ${imp.userId} as user_id, ${imp.movieId} as movie_id,
      min(${imp.createdAt}) as first_at, count(*) as shown
    from ${imp}
    where ${imp.experimentId} = ${experimentId} and ${imp.createdAt} <= ${until}
    group by ${imp.arm}, ${imp.userId}, ${imp.movieId}`;
  const outcome = (kind: "watch" | "rating", column: "1" | "value") =>
    sql`(select ${sql.raw(column === "1" ? "1" : `i.${column}`)} from ${interactions} i
      where i.user_id = p.user_id and i.movie_id = p.movie_id and i.kind = ${kind}
        and i.created_at >= p.first_at and i.created_at <= ${until})`;
  // the columns as the query names them (PostgreSQL's sums arrive as numeric strings: Number() below)
  const rows = await rawRows<Omit<ExperimentArmCounts, "ratingSum"> & { rating_sum: number | null }>(sql`with p as (${pairs})
    select p.arm as arm,
      sum(p.shown) as impressions,
      count(*) as pairs,
      count(distinct p.user_id) as users,
      sum(case when exists (select 1 from ${experimentClicks} c
        where c.experiment_id = ${experimentId} and c.user_id = p.user_id and c.movie_id = p.movie_id
          and c.created_at >= p.first_at and c.created_at <= ${until}) then 1 else 0 end) as clicks,
      sum(case when ${outcome("watch", "1")} is not null then 1 else 0 end) as watches,
      sum(case when ${outcome("rating", "value")} is not null then 1 else 0 end) as ratings,
      sum(${outcome("rating", "value")}) as rating_sum
    from p
    group by p.arm`, db);
  return rows.map((r) => ({
    arm: r.arm,
    // numbers on both dialects (PostgreSQL sums are numeric)
    impressions: Number(r.impressions),
    pairs: Number(r.pairs),
    users: Number(r.users),
    clicks: Number(r.clicks),
    watches: Number(r.watches),
    ratings: Number(r.ratings),
    ratingSum: Number(r.rating_sum ?? 0),
  }));
}
