import { and, count, eq, inArray, sql } from "drizzle-orm";
import { getDb, type Db } from "@/lib/db";
import { interactions, movies, users, type Interaction, type NewInteraction, type User } from "@/lib/db/schema";
import { ApiError } from "@/lib/http/errors";
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
    .onConflictDoUpdate({
      target: [interactions.userId, interactions.movieId, interactions.kind],
      set: {
        value: sql`excluded.value`,
        watchSeconds: sql`excluded.watch_seconds`,
        source: sql`excluded.source`,
        createdAt: sql`excluded.created_at`,
      },
      setWhere: sql`excluded.created_at > ${interactions.createdAt}
        or (excluded.created_at = ${interactions.createdAt}
            and (excluded.value is not ${interactions.value} or excluded.watch_seconds is not ${interactions.watchSeconds}))`,
    })
    .prepare();
}

// One prepared statement per connection: a multi-row insert rebuilt per chunk is ~5× slower.
const upsertStatements = new WeakMap<Db, ReturnType<typeof prepareUpsert>>();

/**
 * Insert or update interactions by (user, movie, kind). Synchronous: call it inside
 * `db.transaction(...)` (better-sqlite3 has one connection, so the statements join the caller's
 * transaction). A row replaces the stored one only when it is newer, or equally old with
 * different values, so re-importing a file or re-running a seeded simulation changes nothing and
 * an older log never overwrites a newer signal. Returns how many rows were inserted or updated.
 */
export function upsertInteractions(db: Db, rows: Iterable<UpsertInteractionRow>): number {
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
 * Users for outside identities ("sim:42", "ml:610"), created when missing. Returns the database id
 * for every external id and how many users were created.
 */
export function ensureUsers(
  db: Db,
  list: { externalId: string; source: UserSource; name?: string | null }[],
): { ids: Map<string, number>; created: number } {
  const ids = new Map<string, number>();
  let created = 0;
  for (const part of chunks(list, 500)) {
    const res = db
      .insert(users)
      .values(part.map((u) => ({ externalId: u.externalId, source: u.source, name: u.name ?? null })))
      .onConflictDoNothing({ target: users.externalId })
      .run();
    created += res.changes;
    const rows = db
      .select({ id: users.id, externalId: users.externalId })
      .from(users)
      .where(inArray(users.externalId, part.map((u) => u.externalId)))
      .all();
    for (const r of rows) if (r.externalId !== null) ids.set(r.externalId, r.id);
  }
  return { ids, created };
}

/**
 * Delete a source's interactions for the given users except the (movie, kind) pairs listed to keep.
 * A re-run simulation uses this so a user's simulated history is exactly what was generated.
 */
export function pruneInteractions(db: Db, source: InteractionSource, keep: Map<number, Set<string>>): number {
  const userIds = [...keep.keys()];
  const stale: number[] = [];
  for (const part of chunks(userIds, 500)) {
    const rows = db
      .select({ id: interactions.id, userId: interactions.userId, movieId: interactions.movieId, kind: interactions.kind })
      .from(interactions)
      .where(and(eq(interactions.source, source), inArray(interactions.userId, part)))
      .all();
    for (const r of rows) if (!keep.get(r.userId)?.has(interactionKey(r.movieId, r.kind))) stale.push(r.id);
  }
  let deleted = 0;
  for (const part of chunks(stale, 500)) deleted += db.delete(interactions).where(inArray(interactions.id, part)).run().changes;
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
  if (!movie) throw new ApiError("not_found", `movie ${parsed.movieId} not found`);
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, parsed.userId));
  if (!user) throw new ApiError("not_found", `user ${parsed.userId} not found`);
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
      set: { value: row.value, watchSeconds: row.watchSeconds, source: row.source, createdAt: row.createdAt },
    })
    .returning();
  return saved;
}

/** Remove one signal (e.g. the user cleared a rating). Returns whether a row was deleted. */
export async function deleteInteraction(userId: number, movieId: number, kind: Interaction["kind"]): Promise<boolean> {
  const res = await getDb()
    .delete(interactions)
    .where(and(eq(interactions.userId, userId), eq(interactions.movieId, movieId), eq(interactions.kind, kind)))
    .returning({ id: interactions.id });
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
 * Interaction count, synchronously inside a transaction (for new-vs-updated accounting); limited
 * to some users when given, which the (user, movie, kind) index makes cheap.
 */
export function countInteractionsIn(db: Db, userIds?: number[]): number {
  if (!userIds) return db.select({ n: count() }).from(interactions).get()?.n ?? 0;
  let n = 0;
  for (const part of chunks(userIds, 500)) {
    n += db.select({ n: count() }).from(interactions).where(inArray(interactions.userId, part)).get()?.n ?? 0;
  }
  return n;
}
