import { and, count, desc, eq } from "drizzle-orm";
import { toMovieCard, type MovieCard } from "@/lib/catalog/card";
import { withGenres } from "@/lib/catalog/queries";
import { getDb } from "@/lib/db";
import { interactions, movies } from "@/lib/db/schema";
import { deleteInteraction, recordInteraction } from "./queries";

// What one signed-in person sees of their own signals: the state of a movie page's controls,
// "My ratings", "Watchlist", and the likes an onboarding records.

export type MovieState = { rating: number | null; inWatchlist: boolean; watched: boolean; liked: boolean };

/** The user's current rating, watchlist and watched state for one movie. */
export async function getUserMovieState(userId: number, movieId: number): Promise<MovieState> {
  const rows = await getDb()
    .select({ kind: interactions.kind, value: interactions.value })
    .from(interactions)
    .where(and(eq(interactions.userId, userId), eq(interactions.movieId, movieId)));
  const byKind = new Map(rows.map((r) => [r.kind, r.value]));
  return {
    rating: byKind.get("rating") ?? null,
    inWatchlist: byKind.has("watchlist") && byKind.get("watchlist") !== 0,
    watched: byKind.has("watch"),
    liked: byKind.has("like") && byKind.get("like") !== 0,
  };
}

export type UserListPage<T> = { items: T[]; total: number; page: number; pageSize: number };
export type RatedMovie = { movie: MovieCard; rating: number; ratedAt: number };
export type ListedMovie = { movie: MovieCard; addedAt: number };

async function listByKind(userId: number, kind: "rating" | "watchlist", page: number, pageSize: number) {
  const db = getDb();
  // A watchlist entry switched off is stored as value 0, not deleted.
  const where =
    kind === "watchlist"
      ? and(eq(interactions.userId, userId), eq(interactions.kind, kind), eq(interactions.value, 1), eq(movies.placeholder, false))
      : and(eq(interactions.userId, userId), eq(interactions.kind, kind), eq(movies.placeholder, false));
  const [total] = await db
    .select({ n: count() })
    .from(interactions)
    .innerJoin(movies, eq(movies.id, interactions.movieId))
    .where(where);
  const rows = await db
    .select({ movie: movies, value: interactions.value, createdAt: interactions.createdAt })
    .from(interactions)
    .innerJoin(movies, eq(movies.id, interactions.movieId))
    .where(where)
    .orderBy(desc(interactions.createdAt), desc(interactions.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const withG = await withGenres(rows.map((r) => r.movie));
  return {
    total: total?.n ?? 0,
    rows: rows.map((r, i) => ({ movie: toMovieCard(withG[i]), value: r.value, createdAt: r.createdAt })),
  };
}

/** The user's ratings, newest first. */
export async function listUserRatings(userId: number, page = 1, pageSize = 24): Promise<UserListPage<RatedMovie>> {
  const { total, rows } = await listByKind(userId, "rating", page, pageSize);
  return { total, page, pageSize, items: rows.map((r) => ({ movie: r.movie, rating: r.value ?? 0, ratedAt: r.createdAt })) };
}

/** The user's watchlist, most recently added first. */
export async function listUserWatchlist(userId: number, page = 1, pageSize = 24): Promise<UserListPage<ListedMovie>> {
  const { total, rows } = await listByKind(userId, "watchlist", page, pageSize);
  return { total, page, pageSize, items: rows.map((r) => ({ movie: r.movie, addedAt: r.createdAt })) };
}

/** The films the user likes, newest first (onboarding starts from them when it is revisited). */
export async function listLikedMovies(userId: number, limit: number): Promise<MovieCard[]> {
  const rows = await getDb()
    .select({ movie: movies })
    .from(interactions)
    .innerJoin(movies, eq(movies.id, interactions.movieId))
    .where(and(eq(interactions.userId, userId), eq(interactions.kind, "like"), eq(interactions.value, 1), eq(movies.placeholder, false)))
    .orderBy(desc(interactions.createdAt), desc(interactions.id))
    .limit(limit);
  return (await withGenres(rows.map((r) => r.movie))).map(toMovieCard);
}

/**
 * Favourites from onboarding, recorded as likes through the one interaction service; `unpicked`
 * (films that were picked when the page opened and are not any more) lose their like. Folded into
 * recommendations on the next request, so no retrain is needed.
 */
export async function recordOnboardingPicks(userId: number, movieIds: number[], unpicked: number[] = []): Promise<number> {
  const picks = new Set(movieIds);
  for (const movieId of new Set(unpicked)) if (!picks.has(movieId)) await deleteInteraction(userId, movieId, "like");
  for (const movieId of picks) await recordInteraction({ kind: "like", userId, movieId, value: 1 });
  return picks.size;
}
