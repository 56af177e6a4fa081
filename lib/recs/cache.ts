import { and, asc, eq, inArray } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { queryArrays, queryArraysNow, queryValue } from "@/lib/db/raw";
import { itemNeighbors, recommendations } from "@/lib/db/schema";
import { andThen, type MaybePromise } from "@/lib/util/maybe";
import type { NeighborEntry } from "./fold-in";

// Reading the precomputed caches of one model version: item neighbours and per-user top-N.
// Training writes them from columns (cache-write.ts); nothing is visible to serving until the
// version is promoted.

export type CachedPick = { movieId: number; score: number; anchorMovieId: number | null };

const USER_LIST_SQL =
  "select movie_id, score, anchor_movie_id from recommendations where model_version_id = ? and user_id = ? order by rank limit ?";

/**
 * A user's cached top-N in one version, best first; at most `limit` rows. On the request path
 * (a memo miss): read at once on SQLite, a promise on PostgreSQL.
 */
export function readUserRecommendations(versionId: number, userId: number, limit = 1000): MaybePromise<CachedPick[]> {
  return andThen(queryArraysNow<[number, number, number | null]>(USER_LIST_SQL, [versionId, userId, limit]), (rows) =>
    rows.map(([movieId, score, anchorMovieId]) => ({ movieId, score, anchorMovieId })),
  );
}

/** Top-K neighbours of each given movie, best first. */
export async function readNeighbors(versionId: number, movieIds: number[]): Promise<Map<number, NeighborEntry[]>> {
  const out = new Map<number, NeighborEntry[]>();
  const db = getDb();
  for (let i = 0; i < movieIds.length; i += 500) {
    const rows = await db
      .select({ movieId: itemNeighbors.movieId, neighborId: itemNeighbors.neighborId, score: itemNeighbors.score })
      .from(itemNeighbors)
      .where(and(eq(itemNeighbors.modelVersionId, versionId), inArray(itemNeighbors.movieId, movieIds.slice(i, i + 500))))
      .orderBy(asc(itemNeighbors.movieId), asc(itemNeighbors.rank));
    for (const r of rows) {
      const list = out.get(r.movieId);
      if (list) list.push(r);
      else out.set(r.movieId, [r]);
    }
  }
  return out;
}

/** Entries in which one of `historyIds` is a neighbour: the candidates for folding in a history. */
export async function readReverseNeighbors(versionId: number, historyIds: number[]): Promise<NeighborEntry[]> {
  const db = getDb();
  const out: NeighborEntry[] = [];
  for (let i = 0; i < historyIds.length; i += 500) {
    const rows = await db
      .select({ movieId: itemNeighbors.movieId, neighborId: itemNeighbors.neighborId, score: itemNeighbors.score })
      .from(itemNeighbors)
      .where(and(eq(itemNeighbors.modelVersionId, versionId), inArray(itemNeighbors.neighborId, historyIds.slice(i, i + 500))));
    out.push(...rows);
  }
  return out;
}

/** Users that have cached recommendations in a version (benchmarks pick "known users" here). */
export async function listCachedUserIds(versionId: number, limit = 10_000): Promise<number[]> {
  const rows = await getDb()
    .selectDistinct({ userId: recommendations.userId })
    .from(recommendations)
    .where(eq(recommendations.modelVersionId, versionId))
    .orderBy(asc(recommendations.userId)) // the same users on either dialect (the primary key's order)
    .limit(limit);
  return rows.map((r) => r.userId);
}

export type NeighborColumns = { movieId: Int32Array; neighborId: Int32Array; score: Float32Array; length: number };

/**
 * Every neighbour row of a version as columns, in (movie, rank) order: keyset pages on the primary
 * key, `pageRows` at a time, waiting `between()` after each page (the serving process yields to the
 * event loop there so requests keep being answered while a large cache loads).
 */
export async function readNeighborColumns(versionId: number, pageRows: number, between?: () => Promise<void>): Promise<NeighborColumns> {
  const total = Number(await queryValue("SELECT count(*) FROM item_neighbors WHERE model_version_id = ?", [versionId]));
  const cols = { movieId: new Int32Array(total), neighborId: new Int32Array(total), score: new Float32Array(total), length: 0 };
  const page = "SELECT movie_id, neighbor_id, score, rank FROM item_neighbors WHERE model_version_id = ? AND (movie_id, rank) > (?, ?) ORDER BY movie_id, rank LIMIT ?";
  let after: [number, number] = [-1, -1];
  while (cols.length < total) {
    const rows = await queryArrays<[number, number, number, number]>(page, [versionId, after[0], after[1], pageRows]);
    if (rows.length === 0) break;
    for (const r of rows) {
      if (cols.length === total) break; // rows added meanwhile are not this read's
      cols.movieId[cols.length] = r[0];
      cols.neighborId[cols.length] = r[1];
      cols.score[cols.length] = r[2];
      cols.length++;
    }
    const last = rows[rows.length - 1];
    after = [last[0], last[3]];
    await between?.();
  }
  return cols;
}
