import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { after } from "next/server";
import { Suspense } from "react";
import { LikeToggle } from "@/components/movies/like-toggle";
import { MovieRow } from "@/components/movies/movie-row";
import { MovieRowSkeleton } from "@/components/movies/movie-row-skeleton";
import { PosterImage } from "@/components/movies/poster-image";
import { RatingInput } from "@/components/movies/rating-input";
import { WatchedButton } from "@/components/movies/watched-button";
import { WatchlistToggle } from "@/components/movies/watchlist-toggle";
import { getSessionUser, signInPath } from "@/lib/auth";
import { toMovieCard } from "@/lib/catalog/card";
import { getMovie } from "@/lib/catalog/queries";
import { movieIdSchema } from "@/lib/catalog/schemas";
import { isRecommendationClick, recordClickSafely } from "@/lib/experiments/clicks";
import { getUserMovieState } from "@/lib/interactions/user-lists";
import { listSimilarCards, listSimilarCardsForUser, MORE_LIKE_THIS_ID } from "@/lib/recs/home";
import { formatCalendarDate, formatCount } from "@/lib/util/format";
import { logError } from "@/lib/util/log";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

async function load(params: Props["params"]) {
  const parsed = movieIdSchema.safeParse((await params).id);
  if (!parsed.success) notFound();
  const movie = await getMovie(parsed.data);
  if (!movie) notFound();
  return movie;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const movie = await load(params);
  return { title: movie.title };
}

function formatRuntime(minutes: number | null) {
  if (!minutes) return null;
  const h = Math.floor(minutes / 60);
  return h ? `${h}h ${minutes % 60}m` : `${minutes}m`;
}

type SimilarFor = { id: number; genres: string[] };

/**
 * "More like this", without what a signed-in user has already seen; an unavailable recommender
 * leaves the row out rather than failing the page.
 */
async function loadSimilar(movie: SimilarFor, userId: number | null) {
  try {
    return userId === null ? await listSimilarCards(movie) : await listSimilarCardsForUser(movie, userId);
  } catch (err) {
    logError(`movie page: similar movies for ${movie.id} failed`, err);
    return null;
  }
}

// No loading.tsx here, and this route sits outside (main)'s: a loading boundary above the page
// makes Next send the 200 before the page can call notFound(), so an unknown id would answer 200
// (a soft 404). The page's own facts are quick (per-process movie cache); the similar-movies row,
// the slow part, streams in behind its skeleton. Until the page arrives, the poster card that was
// clicked shows that it is loading (components/movies/link-pending.tsx).
export default async function MoviePage({ params, searchParams }: Props) {
  const movie = await load(params);
  const user = await getSessionUser();
  // Opened from the recommended grid: a click for the running A/B experiment, after the response.
  if (user && isRecommendationClick(await searchParams)) after(() => recordClickSafely(user.id, movie.id));
  const state = user ? await getUserMovieState(user.id, movie.id) : null;
  const card = toMovieCard(movie);
  const runtime = formatRuntime(movie.runtime);
  const here = `/movies/${movie.id}`;
  return (
    <>
      <article className="grid gap-6 sm:grid-cols-[minmax(0,240px)_1fr] md:gap-10">
        <div className="mx-auto w-48 sm:w-full">
          <PosterImage src={card.poster.src} fallback={card.poster.fallback} alt={`Poster for ${movie.title}`} priority className="rounded-lg shadow-2xl" />
        </div>
        <div>
          <h1 className="text-3xl font-extrabold tracking-tight sm:text-4xl">{movie.title}</h1>
          {movie.originalTitle && movie.originalTitle !== movie.title && <p className="mt-1 text-zinc-400">{movie.originalTitle}</p>}
          <dl className="mt-4 flex flex-wrap gap-x-6 gap-y-2 text-sm text-zinc-300">
            {movie.year && (
              <div>
                <dt className="sr-only">Year</dt>
                <dd data-testid="movie-year">{movie.year}</dd>
              </div>
            )}
            {runtime && (
              <div>
                <dt className="sr-only">Runtime</dt>
                <dd data-testid="movie-runtime">{runtime}</dd>
              </div>
            )}
            {movie.voteCount > 0 && (
              <div>
                <dt className="sr-only">TMDB rating</dt>
                {/* "/10" and no star: the user's own rating control beside it is out of 5 stars (QA), as the cards say it */}
                <dd data-testid="movie-tmdb-rating">
                  {movie.voteAverage.toFixed(1)}
                  <span aria-hidden>/10</span>
                  <span className="sr-only"> out of 10</span>{" "}
                  <span className="text-zinc-400">({formatCount(movie.voteCount, "vote")} on TMDB)</span>
                </dd>
              </div>
            )}
            {movie.originalLanguage && (
              <div>
                <dt className="sr-only">Original language</dt>
                <dd className="uppercase">{movie.originalLanguage}</dd>
              </div>
            )}
          </dl>
          <ul className="mt-4 flex flex-wrap gap-2" aria-label="Genres">
            {movie.genres.map((g) => (
              <li key={g}>
                <Link
                  href={`/search?${new URLSearchParams({ genre: g })}`}
                  className="block rounded-full bg-ink-800 px-3 py-1 text-xs text-zinc-300 hover:bg-ink-700"
                >
                  {g}
                </Link>
              </li>
            ))}
          </ul>
          {movie.releaseDate && (
            <p className="mt-6 text-sm text-zinc-400">
              Released <time dateTime={movie.releaseDate}>{formatCalendarDate(movie.releaseDate)}</time>
            </p>
          )}

          <section aria-label="Your activity" className="mt-8 space-y-4 rounded-xl bg-ink-900 p-4 ring-1 ring-white/5 sm:max-w-lg">
            {user && state ? (
              <>
                <RatingInput movieId={movie.id} title={movie.title} initial={state.rating} />
                <div className="flex flex-wrap gap-3">
                  <LikeToggle movieId={movie.id} initial={state.liked} />
                  <WatchlistToggle movieId={movie.id} initial={state.inWatchlist} />
                  <WatchedButton movieId={movie.id} initial={state.watched} />
                </div>
              </>
            ) : (
              <p className="text-sm text-zinc-300">
                <Link href={signInPath(here)} className="font-semibold text-accent hover:underline" data-testid="sign-in-to-rate">
                  Sign in to rate
                </Link>{" "}
                this film, like it, add it to your watchlist and get picks like it.
              </p>
            )}
          </section>
        </div>
      </article>
      {/* Home's "More like ‹title›" links here: the target is in the first chunk, before the row streams in. */}
      <div id={MORE_LIKE_THIS_ID}>
        <Suspense fallback={<MovieRowSkeleton />}>
          <SimilarRow movie={movie} userId={user?.id ?? null} />
        </Suspense>
      </div>
    </>
  );
}

async function SimilarRow({ movie, userId }: { movie: SimilarFor; userId: number | null }) {
  const similar = await loadSimilar(movie, userId);
  if (similar === null) return null;
  return (
    <MovieRow
      id="more-like-this"
      title={similar.title}
      movies={similar.movies}
      emptyMessage={
        similar.excluded > 0
          ? "You already know every film like this one: each is rated, watched, liked or on your watchlist."
          : "Nothing similar yet: once people watch this film, its neighbours show up here."
      }
    />
  );
}
