import { and, count, desc, eq, inArray, or } from "drizzle-orm";
import { toMovieCard, type MovieCard } from "@/lib/catalog/card";
import { withGenres } from "@/lib/catalog/queries";
import { getDb } from "@/lib/db";
import { interactions, movies } from "@/lib/db/schema";
import { deleteInteraction, recordInteraction } from "./queries";

// What one signed-in person sees of their own signals: the state of a movie page's controls,
// their lists ("My ratings", "Watchlist", "Likes", "Watched") and the likes an onboarding records.

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

/** The user's lists: My ratings, Watchlist, Likes and Watched, one kind of signal each. */
export type UserListKind = "rating" | "watchlist" | "like" | "watch";
const LIST_KINDS: readonly UserListKind[] = ["rating", "watch", "like", "watchlist"];

/**
 * The signals a list shows: a like or a watchlist entry switched off is stored as value 0, not
 * deleted, so only value 1 counts for those kinds (a rating's value is its stars, a watch has
 * none); an import's placeholder films ("TMDB #123") are left out until a crawl fills them in.
 */
const listed = or(inArray(interactions.kind, ["rating", "watch"]), eq(interactions.value, 1));

async function listByKind(userId: number, kind: UserListKind, page: number, pageSize: number) {
  const db = getDb();
  const where = and(eq(interactions.userId, userId), eq(interactions.kind, kind), listed, eq(movies.placeholder, false));
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

/** How many films each of the user's lists holds (the account page's counts, each linking to its list). */
export async function countUserLists(userId: number): Promise<Record<UserListKind, number>> {
  const rows = await getDb()
    .select({ kind: interactions.kind, n: count() })
    .from(interactions)
    .innerJoin(movies, eq(movies.id, interactions.movieId))
    .where(and(eq(interactions.userId, userId), listed, eq(movies.placeholder, false)))
    .groupBy(interactions.kind);
  const counts = Object.fromEntries(LIST_KINDS.map((k) => [k, 0])) as Record<UserListKind, number>;
  for (const { kind, n } of rows) counts[kind] = Number(n);
  return counts;
}

/** The user's ratings, newest first. */
export async function listUserRatings(userId: number, page = 1, pageSize = 24): Promise<UserListPage<RatedMovie>> {
  const { total, rows } = await listByKind(userId, "rating", page, pageSize);
  return { total, page, pageSize, items: rows.map((r) => ({ movie: r.movie, rating: r.value ?? 0, ratedAt: r.createdAt })) };
}

/** The user's watchlist, most recently added first. */
export async function listUserWatchlist(userId: number, page = 1, pageSize = 24): Promise<UserListPage<ListedMovie>> {
  return listedMovies(userId, "watchlist", page, pageSize);
}

/** The films the user likes, most recently liked first (Likes, /me/likes). */
export async function listUserLikes(userId: number, page = 1, pageSize = 24): Promise<UserListPage<ListedMovie>> {
  return listedMovies(userId, "like", page, pageSize);
}

/** The films the user marked as watched, most recently marked first (Watched, /me/watched). */
export async function listUserWatched(userId: number, page = 1, pageSize = 24): Promise<UserListPage<ListedMovie>> {
  return listedMovies(userId, "watch", page, pageSize);
}

async function listedMovies(userId: number, kind: UserListKind, page: number, pageSize: number): Promise<UserListPage<ListedMovie>> {
  const { total, rows } = await listByKind(userId, kind, page, pageSize);
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
