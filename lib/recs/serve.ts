import { posterUrls } from "@/lib/catalog/poster";
import { catalogGeneration, peekCatalogGeneration } from "@/lib/catalog/generation";
import { getMoviesCached, peekMoviesCached } from "@/lib/catalog/movie-cache";
import { getMovie, listPopularMovies, listRandomMovies, type MovieWithGenres } from "@/lib/catalog/queries";
import { listSeriesSiblings } from "@/lib/catalog/series";
import { userLastActivity } from "@/lib/interactions/activity";
import { getUserHistory, isDisliked, type UserActivity } from "@/lib/interactions/training-data";
import { getServingSnapshot, peekServingSnapshot, type VersionSnapshot } from "@/lib/mlops/registry";
import { andThen, type MaybePromise } from "@/lib/util/maybe";
import { ApiError } from "@/lib/http/errors";
import { readNeighbors, readReverseNeighbors, readUserRecommendations } from "./cache";
import { foldInFromIndex, foldInRecommendations } from "./fold-in";
import { cacheList, getCachedList } from "./list-cache";
import { peekReverseNeighborIndex } from "./neighbor-index";
import type { Reason, RecommendationResponse, RecommendationSource } from "./schemas";
import { logError } from "@/lib/util/log";

// Serving reads only precomputed data for ONE model version per request (read once at the
// start), so a response never mixes two versions even while a retrain switches the pointer.

/**
 * An "anchor" pick comes from a movie the user watched; a "neighbor" pick from the movie a
 * similar-movies list is for, and a "series" pick is of that movie's series.
 */
type AnchoredPick = { type: "anchor" | "neighbor" | "series"; anchorId: number };
type Pick = { movieId: number; score: number; reason: Reason | AnchoredPick };
const ANCHORED_AS = { anchor: "because_you_watched", neighbor: "similar_to", series: "same_series" } as const;
const anchored = (reason: Pick["reason"]): reason is AnchoredPick => "anchorId" in reason;
export type RecommendOptions = {
  userId: number;
  k: number;
  genre?: string;
  exclude?: number[];
  /** Serve this ready version instead of the serving one (an A/B experiment's arm). */
  version?: VersionSnapshot;
};
export type Recommendations = Omit<RecommendationResponse, "requestId">;

const FOLD_IN_HISTORY_LIMIT = 500; // most recent positive interactions used for fold-in
const CANDIDATE_FACTOR = 4; // candidates fetched per requested item, to survive genre/exclude filters

function toItems(picks: Pick[], k: number, genre: string | undefined): MaybePromise<Recommendations["items"]> {
  const ids: number[] = [];
  for (const p of picks) {
    ids.push(p.movieId);
    if (anchored(p.reason)) ids.push(p.reason.anchorId);
  }
  // the hot path finds every movie in the per-process cache and answers without a promise
  const movies = peekMoviesCached(ids);
  return movies ? buildItems(picks, movies, k, genre) : getMoviesCached(ids).then((read) => buildItems(picks, read, k, genre));
}

function buildItems(picks: Pick[], movies: Map<number, MovieWithGenres>, k: number, genre: string | undefined): Recommendations["items"] {
  const wanted = genre?.toLowerCase();
  const items: Recommendations["items"] = [];
  for (const p of picks) {
    const m = movies.get(p.movieId);
    if (!m || m.placeholder) continue;
    if (wanted && !m.genres.some((g) => g.toLowerCase() === wanted)) continue;
    let reason: Reason;
    if (anchored(p.reason)) {
      const anchor = movies.get(p.reason.anchorId);
      reason = anchor ? { type: ANCHORED_AS[p.reason.type], movieId: anchor.id, title: anchor.title } : { type: "popular" };
    } else reason = p.reason;
    const poster = posterUrls(m);
    items.push({
      id: m.id,
      title: m.title,
      year: m.year,
      genres: m.genres,
      posterUrl: poster.src,
      posterFallbackUrl: poster.fallback,
      score: Math.round(p.score * 1e6) / 1e6,
      rank: items.length + 1,
      reason,
    });
    if (items.length === k) break;
  }
  return items;
}

function fromMovies(movies: MovieWithGenres[], type: "popular" | "random"): Pick[] {
  return movies.map((m, i) => ({ movieId: m.id, score: 1 / (i + 1), reason: { type } }));
}

/**
 * Top-k for a user: the model's cache when it is current for the user; folded in from the
 * item-neighbour cache when the user acted after training (or is new to the model); popular
 * picks for cold users; random picks if even that fails. Each response says which.
 *
 * The common case answers without a promise: an unfiltered request for a user the model is
 * current for, whose list this process has memoised (list-cache.ts), with the serving pointer and
 * the catalog generation confirmed within seconds, and the user's newest interaction known to this
 * process (interactions/activity.ts) or read at once (SQLite; a promise on PostgreSQL). On SQLite
 * a list not yet memoised is read at once too, when its movies are in the per-process cache.
 * Every freshness check of one request uses the same clock reading, `now`.
 */
export function recommendForUser(opts: RecommendOptions, now = Date.now()): MaybePromise<Recommendations> {
  const serving = opts.version ?? peekServingSnapshot(now);
  const generation = peekCatalogGeneration(now);
  const plain = !opts.genre && !opts.exclude?.length;
  if (!serving || !plain || generation === undefined) return recommendFromCaches(opts, serving);
  return andThen(userLastActivity(opts.userId, now), (last) => {
    if (!isCurrent(last, serving)) return recommendFromCaches(opts, serving, last);
    const memo = getCachedList(serving.versionId, opts.userId, opts.k, generation, now);
    if (memo) return { userId: opts.userId, modelVersion: serving.versionId, source: "model", items: memo };
    // a miss: the model's list from the cache tables (at once on SQLite), else the fallbacks
    return andThen(fromModelList(opts.userId, opts.k, undefined, NO_EXCLUSIONS, serving.versionId, generation), (list) =>
      list ?? recommendFromCaches(opts, serving, last),
    );
  });
}

const NO_EXCLUSIONS: ReadonlySet<number> = new Set();

/**
 * The model's cached list for a user it is current for, filtered and turned into items; undefined
 * when too little of it survives the filters (the caller falls back). Unfiltered lists are
 * memoised. Answers without a promise when the rows and movies are at hand (SQLite, warm cache).
 */
function fromModelList(
  userId: number,
  k: number,
  genre: string | undefined,
  exclude: ReadonlySet<number>,
  versionId: number,
  generation: number,
): MaybePromise<Recommendations | undefined> {
  const plain = !genre && exclude.size === 0;
  // Unfiltered requests need exactly k rows; filters may drop some, so read them all then.
  return andThen(readUserRecommendations(versionId, userId, plain ? k : undefined), (cached) => {
    const picks: Pick[] = [];
    for (const r of cached) {
      if (exclude.has(r.movieId)) continue;
      picks.push({
        movieId: r.movieId,
        score: r.score,
        reason: r.anchorMovieId ? { type: "anchor", anchorId: r.anchorMovieId } : { type: "popular" },
      });
    }
    return andThen(toItems(picks, k, genre), (items): MaybePromise<Recommendations | undefined> => {
      // a filtered list short of k falls back to fold-in (topped up there), as docs/training.md says
      if (items.length < Math.min(k, 1) || (items.length !== k && !plain)) return undefined;
      const list: Recommendations = { userId, modelVersion: versionId, source: "model", items };
      if (!plain) return list;
      // k past the model's top-N (or a user with fewer cached picks): topped up, then memoised
      const full = items.length < k ? topUp(list, k, undefined, exclude) : list;
      return andThen(full, (done) => ({ ...done, items: cacheList(versionId, userId, k, done.items, generation) }));
    });
  });
}

/**
 * The model's list still applies: the user has history and none of it came after training, by
 * time or, where the version kept it, by row id (an import's rows keep their own, older times; a
 * row an import changes takes a new id).
 */
function isCurrent(last: UserActivity, serving: VersionSnapshot): boolean {
  return last.at > 0 && last.at <= serving.trainedUpTo && (serving.trainedUpToId === null || last.id <= serving.trainedUpToId);
}

async function recommendFromCaches(
  opts: RecommendOptions,
  known: VersionSnapshot | null | undefined,
  knownLast?: UserActivity,
): Promise<Recommendations> {
  const { userId, k, genre } = opts;
  const exclude = new Set(opts.exclude ?? []);
  const serving = known !== undefined ? known : await getServingSnapshot();
  const versionId = serving?.versionId ?? null;
  const want = k * CANDIDATE_FACTOR + exclude.size;

  if (serving && versionId !== null) {
    const last = knownLast ?? (await userLastActivity(userId));
    // (a caller that passes knownLast has already tried the memo and the model's list)
    if (knownLast === undefined && isCurrent(last, serving)) {
      // The model's list still applies to this user: an unfiltered repeat request is served from
      // this process's memo of finished lists (keyed by version; see list-cache.ts).
      const generation = await catalogGeneration();
      const memo = !genre && exclude.size === 0 ? getCachedList(versionId, userId, k, generation) : undefined;
      if (memo) return { userId, modelVersion: versionId, source: "model", items: memo };
      const list = await fromModelList(userId, k, genre, exclude, versionId, generation);
      if (list) return list;
    }
    if (last.at > 0) {
      const history = (await getUserHistory(userId)).slice(0, FOLD_IN_HISTORY_LIMIT);
      // A film the user rated below DISLIKED_BELOW is no reason to show films like it (weight 0:
      // it stays out of the picks, and picks come from the rest, or popular ones when that is all).
      const weighted = history.map((h) => ({ itemId: h.movieId, weight: isDisliked(h) ? 0 : h.weight }));
      const limit = genre ? want * 4 : want;
      // The version's neighbours in memory when this process has loaded them (it starts loading
      // them on first use); until then the matching rows are read from the database. Same picks.
      const index = peekReverseNeighborIndex(versionId);
      const folded = index
        ? foldInFromIndex(index, weighted, limit, exclude)
        : foldInRecommendations(weighted, await readReverseNeighbors(versionId, history.map((h) => h.movieId)), limit, exclude);
      const picks = folded.map((p): Pick => ({ movieId: p.itemId, score: p.score, reason: { type: "anchor", anchorId: p.anchorId } }));
      const items = await toItems(picks, k, genre);
      if (items.length > 0) return topUp({ userId, modelVersion: versionId, source: "folded_in", items }, k, genre, exclude);
    }
  }
  return recommendFallback(userId, k, genre, exclude, versionId);
}

/**
 * `list` with popular picks (reason `popular`, score 0: the model did not score them) appended up
 * to k when it holds fewer: the model keeps its top-N per user (50 by default, while k goes to 100),
 * fold-in reaches only the neighbours of what the user has seen, and a genre or `exclude` filter
 * thins both. The picks skip what the list holds, what the user has seen and the excluded ids.
 */
async function topUp(list: Recommendations, k: number, genre: string | undefined, exclude: ReadonlySet<number>): Promise<Recommendations> {
  if (list.items.length >= k) return list;
  const have = new Set(list.items.map((item) => item.id));
  const seen = new Set((await getUserHistory(list.userId)).map((h) => h.movieId));
  const skip = (id: number) => have.has(id) || seen.has(id) || exclude.has(id);
  const popular = await listPopularMovies({ k: k + have.size + seen.size + exclude.size, genre });
  const more = await toItems(fromMovies(popular.filter((m) => !skip(m.id)), "popular"), k - list.items.length, genre);
  return { ...list, items: appendFill(list.items, more) };
}

/** `items` followed by `fill`, ranked on after them, with score 0 (the model did not score the fill). */
function appendFill(items: Recommendations["items"], fill: Recommendations["items"]): Recommendations["items"] {
  return [...items, ...fill.map((item, i) => ({ ...item, score: 0, rank: items.length + i + 1 }))];
}

async function recommendFallback(
  userId: number,
  k: number,
  genre: string | undefined,
  exclude: Set<number>,
  versionId: number | null,
): Promise<Recommendations> {
  try {
    const seen = new Set((await getUserHistory(userId)).map((h) => h.movieId));
    const popular = await listPopularMovies({ k: k + seen.size + exclude.size, genre });
    const picks = fromMovies(popular.filter((m) => !seen.has(m.id) && !exclude.has(m.id)), "popular");
    const items = await toItems(picks, k, genre);
    if (items.length > 0 || genre) return { userId, modelVersion: versionId, source: "popular", items };
  } catch (err) {
    logError("recommend: popular fallback failed", err);
  }
  const random = await listRandomMovies(k);
  return { userId, modelVersion: versionId, source: "random", items: await toItems(fromMovies(random, "random"), k, undefined) };
}

/**
 * Movies similar to one movie, from the serving version's item-neighbour cache; fewer than k
 * neighbours are topped up with popular films of its main genre unless `topUp` is false (the home
 * page's rows want neighbours only). A movie without neighbours gets those popular films either way.
 */
/**
 * Movies like `movieId`: the films of its series first (by title, oldest first: lib/catalog/series),
 * then its neighbours in the serving version's item-neighbour cache, ranked by their similarity
 * weighted by the genres the two films share (× 0.5 with none, up to × 1.5 with the same ones), so
 * a neighbour that shares the film's audience but none of its genres comes after those that share
 * both. With `topUp`, popular films of its main genre fill the list to k. `source` is "model" when
 * the list has similar films (its series or neighbours), "popular" when it is that fill alone.
 */
export async function listSimilarMovies(movieId: number, k: number, { topUp = true } = {}) {
  const movie = await getMovie(movieId);
  if (!movie) throw new ApiError("not_found", `No movie with id ${movieId}`);
  const versionId = (await getServingSnapshot())?.versionId ?? null;
  const [neighbors, series] = await Promise.all([
    versionId === null ? [] : readNeighbors(versionId, [movieId]).then((read) => read.get(movieId) ?? []),
    listSeriesSiblings(movie),
  ]);
  const inSeries = new Set(series.map((s) => s.id));
  const similarity = new Map(neighbors.map((n) => [n.neighborId, n.score]));
  const facts = await getMoviesCached(neighbors.map((n) => n.neighborId));
  const ranked = neighbors
    .filter((n) => !inSeries.has(n.neighborId))
    .map((n, i) => ({ id: n.neighborId, i, score: n.score * (0.5 + genreOverlap(movie.genres, facts.get(n.neighborId)?.genres ?? [])) }))
    .sort((a, b) => b.score - a.score || a.i - b.i);
  const picks: Pick[] = [
    ...series.map((s) => ({ movieId: s.id, score: similarity.get(s.id) ?? 0, reason: { type: "series", anchorId: movieId } as const })),
    ...ranked.map((n) => ({ movieId: n.id, score: n.score, reason: { type: "neighbor", anchorId: movieId } as const })),
  ];
  let items = await toItems(picks, k, undefined);
  const source: "model" | "popular" = items.length > 0 ? "model" : "popular";
  if (items.length === 0 || (topUp && items.length < k)) {
    // No similar films (a movie nobody has interacted with yet, of no series), or fewer than k
    // (the model keeps 50 per movie): popular films of its main genre, after them.
    const have = new Set([movieId, ...items.map((item) => item.id)]);
    const popular = await listPopularMovies({ k: k + have.size, genre: movie.genres[0] });
    const more = await toItems(fromMovies(popular.filter((m) => !have.has(m.id)), "popular"), k - items.length, undefined);
    items = items.length === 0 ? more : appendFill(items, more);
  }
  return { movieId, modelVersion: versionId, source, items };
}

/** Shared genres over all genres of the two films (Jaccard), 0 when either has none. */
function genreOverlap(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const shared = b.filter((g) => a.includes(g)).length;
  return shared / (a.length + b.length - shared);
}

export type { RecommendationSource };
