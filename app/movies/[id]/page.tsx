import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PosterImage } from "@/components/movies/poster-image";
import { toMovieCard } from "@/lib/catalog/card";
import { getMovie } from "@/lib/catalog/queries";
import { movieIdSchema } from "@/lib/catalog/schemas";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

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

export default async function MoviePage({ params }: Props) {
  const movie = await load(params);
  const card = toMovieCard(movie);
  const runtime = formatRuntime(movie.runtime);
  return (
    <article className="grid gap-6 sm:grid-cols-[minmax(0,240px)_1fr] md:gap-10">
      <div className="mx-auto w-48 sm:w-full">
        <PosterImage src={card.poster.src} fallback={card.poster.fallback} alt={`Poster for ${movie.title}`} priority className="rounded-lg shadow-2xl" />
      </div>
      <div>
        <h1 className="text-3xl font-extrabold tracking-tight sm:text-4xl">{movie.title}</h1>
        {movie.originalTitle && movie.originalTitle !== movie.title && (
          <p className="mt-1 text-zinc-400">{movie.originalTitle}</p>
        )}
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
              <dd>{runtime}</dd>
            </div>
          )}
          {movie.voteCount > 0 && (
            <div>
              <dt className="sr-only">TMDB rating</dt>
              <dd>
                ★ {movie.voteAverage.toFixed(1)} <span className="text-zinc-500">({movie.voteCount.toLocaleString("en")} votes)</span>
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
            <li key={g} className="rounded-full bg-ink-800 px-3 py-1 text-xs text-zinc-300">
              {g}
            </li>
          ))}
        </ul>
        {movie.releaseDate && <p className="mt-6 text-sm text-zinc-400">Released {movie.releaseDate}</p>}
      </div>
    </article>
  );
}
