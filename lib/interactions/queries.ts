import { and, count, eq, inArray, sql } from "drizzle-orm";
import { affectedRows, getDb, isPostgres, sqliteHandle, type Db } from "@/lib/db";
import { isMissingConflictTarget } from "@/lib/db/errors";
import { distinctFrom, nextRowId } from "@/lib/db/sql";
import { interactions, movies, users, type Interaction, type NewInteraction, type User } from "@/lib/db/schema";
import { ApiError } from "@/lib/http/errors";
import { describeUnfinishedScaleLoad } from "@/lib/simulate/scale-marker";
import { markInteractionsChanged, noteUserActivity } from "./activity";
import { TRAINING_FIELDS_CHANGED_SQL } from "./training-data";
import { recordInteractionSchema, type RecordInteractionInput } from "./schemas";

type InteractionSource = NonNullable<NewInteraction["source"]>;
type UserSource = NonNullable<User["source"]>;

// Ids per `in (...)` list and rows per multi-row insert: far below SQLite's 32,766 parameters.
const CHUNK = 500;

function chunks<T>(list: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export type UpsertInteractionRow = Required<Pick<NewInteraction, "userId" | "movieId" | "kind" | "source" | "createdAt">> &
  Pick<NewInteraction, "value" | "watchSeconds">;

// A changed row also takes a new id, past every id a model version has read: serving compares a
// user's largest id with the version's (snapshot.maxInteractionId), and an import's change keeps
// its own, often older, time. Its training id follows only changes training reads (its time or
// weight): drift and the retrain check compare that one (lib/mlops/new-data.ts), so a corrected
// rating's stars make serving fold the user in without counting as new training data.
const upsertConflict = {
  target: [interactions.userId, interactions.movieId, interactions.kind],
  set: {
    id: nextRowId("interactions"),
    trainingId: sql.raw(`CASE WHEN ${TRAINING_FIELDS_CHANGED_SQL} THEN NULL ELSE coalesce(interactions.training_id, interactions.id) END`),
    value: sql`excluded.value`,
    watchSeconds: sql`excluded.watch_seconds`,
    source: sql`excluded.source`,
    createdAt: sql`excluded.created_at`,
  },
  setWhere: sql`excluded.created_at > ${interactions.createdAt}
    or (excluded.created_at = ${interactions.createdAt}
        and (${distinctFrom(sql`excluded.value`, interactions.value)} or ${distinctFrom(sql`excluded.watch_seconds`, interactions.watchSeconds)}))`,
};

/**
 * Every interaction write is an upsert on (user, movie, kind), which SQLite refuses while a
 * `simulate --scale` bulk load has that unique index dropped (until the load, or its re-run,
 * finishes). That failure becomes ApiError not_ready saying how to finish the load: one line from
 * every script and in a job's error, a 503 in the app, instead of a driver error with a stack.
 * Checked on failure rather than before each write, so a rating costs no extra query; without an
 * unfinished load the same error is a bug and is rethrown as it is.
 */
function refuseDuringScaleLoad(err: unknown): never {
  if (!isPostgres() && isMissingConflictTarget(err)) {
    const message = describeUnfinishedScaleLoad(sqliteHandle());
    if (message) throw new ApiError("not_ready", message);
  }
  throw err;
}

function prepareUpsert(db: Db) {
  return db
    .insert(interactions)
    .values({
      userId: sql.placeholder("userId"),
      movieId: sql.placeholder("movieId"),
      kind: sql.placeholder("kind"),
      value: sql.placeholder("value"),
      watchSeconds: sql.placeholder("watchSeconds"),
      source: sql.placeholder("source"),
      createdAt: sql.placeholder("createdAt"),
    })
    .onConflictDoUpdate(upsertConflict)
    .prepare();
}

// SQLite: one prepared statement per connection (a multi-row insert rebuilt per chunk is ~5× slower).
const upsertStatements = new WeakMap<Db, ReturnType<typeof prepareUpsert>>();

/**
 * Insert or update interactions by (user, movie, kind); call it inside `transaction(...)` with
 * its `tx`. A row replaces the stored one only when it is newer, or equally old with different
 * values, so re-importing a file or re-running a seeded simulation changes nothing and an older
 * log never overwrites a newer signal. A replaced row takes a new id (above). Returns how many
 * rows were inserted or updated.
 */
export async function upsertInteractions(db: Db, rows: Iterable<UpsertInteractionRow>): Promise<number> {
  let written: number;
  try {
    written = isPostgres() ? await upsertInteractionsInBatches(db, rows) : upsertInteractionsOneByOne(db, rows);
  } catch (err) {
    refuseDuringScaleLoad(err);
  }
  // bulk writes may carry old timestamps: every serving process forgets what it knew of users
  if (written > 0) await markInteractionsChanged(db);
  return written;
}

/** SQLite: one prepared statement per connection, a row at a time (inside the caller's transaction). */
function upsertInteractionsOneByOne(db: Db, rows: Iterable<UpsertInteractionRow>): number {
  let statement = upsertStatements.get(db);
  if (!statement) {
    statement = prepareUpsert(db);
    upsertStatements.set(db, statement);
  }
  let written = 0;
  for (const r of rows) {
    written += statement.run({ ...r, value: r.value ?? null, watchSeconds: r.watchSeconds ?? null }).changes;
  }
  return written;
}

/**
 * PostgreSQL: multi-row statements (a round trip per row would dominate). One statement may not
 * touch a key twice, so a key named several times is applied in rounds: round k holds the k-th
 * row of every key, in input order. Each key then goes through the same sequence of upserts as
 * one by one, and the count of rows written is the same as on SQLite (reducing repeats to the
 * winning row first would leave the same data but undercount). Usually there is one round.
 */
async function upsertInteractionsInBatches(db: Db, rows: Iterable<UpsertInteractionRow>): Promise<number> {
  const rounds: UpsertInteractionRow[][] = [];
  const seen = new Map<string, number>();
  for (const r of rows) {
    const key = `${r.userId}:${interactionKey(r.movieId, r.kind)}`;
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    (rounds[k] ??= []).push(r);
  }
  let written = 0;
  for (const round of rounds) {
    for (const part of chunks(round)) {
      const values = part.map((r) => ({ ...r, value: r.value ?? null, watchSeconds: r.watchSeconds ?? null }));
      written += affectedRows(await db.insert(interactions).values(values).onConflictDoUpdate(upsertConflict));
    }
  }
  return written;
}

/**
 * Users for outside identities ("sim:42", "ml:610"), created when missing. Returns the database id
 * for every external id and how many users were created.
 */
export async function ensureUsers(
  db: Db,
  list: { externalId: string; source: UserSource; name?: string | null }[],
): Promise<{ ids: Map<string, number>; created: number }> {
  const ids = new Map<string, number>();
  let created = 0;
  for (const part of chunks(list, 500)) {
    const res = await db
      .insert(users)
      .values(part.map((u) => ({ externalId: u.externalId, source: u.source, name: u.name ?? null })))
      .onConflictDoNothing({ target: users.externalId });
    created += affectedRows(res);
    const rows = await db
      .select({ id: users.id, externalId: users.externalId })
      .from(users)
      .where(inArray(users.externalId, part.map((u) => u.externalId)));
    for (const r of rows) if (r.externalId !== null) ids.set(r.externalId, r.id);
  }
  return { ids, created };
}

/**
 * Delete a source's interactions for the given users except the (movie, kind) pairs listed to keep,
 * each with the time it is to have. A re-run simulation uses this so a user's simulated history is
 * exactly what was generated: a stored row of a kept pair that is newer than that goes too (the
 * upsert after would keep it, as with an A/B traffic visit's from today) and the run writes the
 * pair afresh; an older one is left to the upsert, which replaces it; a row already as generated
 * stays, so a re-run of the same seed changes nothing.
 */
export async function pruneInteractions(db: Db, source: InteractionSource, keep: Map<number, Map<string, number>>): Promise<number> {
  const userIds = [...keep.keys()];
  const stale: number[] = [];
  for (const part of chunks(userIds, 500)) {
    const rows = await db
      .select({ id: interactions.id, userId: interactions.userId, movieId: interactions.movieId, kind: interactions.kind, createdAt: interactions.createdAt })
      .from(interactions)
      .where(and(eq(interactions.source, source), inArray(interactions.userId, part)));
    for (const r of rows) {
      const at = keep.get(r.userId)?.get(interactionKey(r.movieId, r.kind));
      // an older stored row the upsert replaces (counted as updated); a newer one would win it
      if (at === undefined || r.createdAt > at) stale.push(r.id);
    }
  }
  let deleted = 0;
  for (const part of chunks(stale, 500)) deleted += affectedRows(await db.delete(interactions).where(inArray(interactions.id, part)));
  if (deleted > 0) await markInteractionsChanged(db);
  return deleted;
}

export function interactionKey(movieId: number, kind: string): string {
  return `${movieId}:${kind}`;
}

/**
 * Record one signal from the app or the API: the latest state wins (re-rating updates in place).
 * Throws ApiError not_found for an unknown user or movie.
 */
export async function recordInteraction(input: RecordInteractionInput, source: "app" | "api" = "app"): Promise<Interaction> {
  const parsed = recordInteractionSchema.parse(input);
  const db = getDb();
  const [movie] = await db.select({ id: movies.id }).from(movies).where(eq(movies.id, parsed.movieId));
  if (!movie) throw new ApiError("not_found", `No movie with id ${parsed.movieId}`);
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, parsed.userId));
  if (!user) throw new ApiError("not_found", `No user with id ${parsed.userId}`);
  const row = {
    userId: parsed.userId,
    movieId: parsed.movieId,
    kind: parsed.kind,
    value: parsed.kind === "watch" ? null : parsed.value,
    watchSeconds: parsed.kind === "watch" ? (parsed.watchSeconds ?? null) : null,
    source,
    createdAt: Date.now(),
  };
  const [saved] = await db
    .insert(interactions)
    .values(row)
    .onConflictDoUpdate({
      target: [interactions.userId, interactions.movieId, interactions.kind],
      // a new time is new training data: the row's training id is its id again
      set: { value: row.value, watchSeconds: row.watchSeconds, source: row.source, createdAt: row.createdAt, trainingId: null },
    })
    .returning()
    .catch(refuseDuringScaleLoad);
  noteUserActivity(parsed.userId); // other processes see the new row within activity.ts's POLL_MS
  return saved;
}

/** Remove one signal (e.g. the user cleared a rating). Returns whether a row was deleted. */
export async function deleteInteraction(userId: number, movieId: number, kind: Interaction["kind"]): Promise<boolean> {
  const res = await getDb()
    .delete(interactions)
    .where(and(eq(interactions.userId, userId), eq(interactions.movieId, movieId), eq(interactions.kind, kind)))
    .returning({ id: interactions.id });
  if (res.length > 0) {
    // a deletion leaves no row for other processes to notice: tell them through the token
    await markInteractionsChanged(getDb());
    noteUserActivity(userId);
  }
  return res.length > 0;
}

export async function countInteractions(filter: { source?: InteractionSource; kind?: Interaction["kind"] } = {}): Promise<number> {
  const where = [];
  if (filter.source) where.push(eq(interactions.source, filter.source));
  if (filter.kind) where.push(eq(interactions.kind, filter.kind));
  const [row] = await getDb().select({ n: count() }).from(interactions).where(and(...where));
  return row?.n ?? 0;
}

export async function countUsers(filter: { source?: UserSource } = {}): Promise<number> {
  const [row] = await getDb()
    .select({ n: count() })
    .from(users)
    .where(filter.source ? eq(users.source, filter.source) : undefined);
  return row?.n ?? 0;
}

/** Interactions per source and kind, e.g. for the admin overview and the CLIs' summaries. */
export async function countInteractionsBySource(): Promise<{ source: InteractionSource; kind: Interaction["kind"]; n: number }[]> {
  return getDb()
    .select({ source: interactions.source, kind: interactions.kind, n: count() })
    .from(interactions)
    .groupBy(interactions.source, interactions.kind)
    .orderBy(interactions.source, interactions.kind);
}

/**
 * Interaction count inside a transaction (for new-vs-updated accounting); limited to some users
 * when given, which the (user, movie, kind) index makes cheap.
 */
export async function countInteractionsIn(db: Db, userIds?: number[]): Promise<number> {
  if (!userIds) return (await db.select({ n: count() }).from(interactions))[0]?.n ?? 0;
  let n = 0;
  for (const part of chunks(userIds, 500)) {
    n += (await db.select({ n: count() }).from(interactions).where(inArray(interactions.userId, part)))[0]?.n ?? 0;
  }
  return n;
}
