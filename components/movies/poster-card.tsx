import Link from "next/link";
import type { MovieCard } from "@/lib/catalog/card";
import { generatedPosterDataUrl } from "@/lib/catalog/poster";
import { LinkPendingCue } from "./link-pending";
import { PosterImage } from "./poster-image";

/**
 * `linkQuery` (e.g. "?from=rec") marks where the click came from; see docs/mlops.md#ab-experiments.
 * `headingLevel`: the title's heading, one below the heading the card sits under (h2 in a page's
 * grid, under its h1; h3 in a row, under the row's h2).
 */
export function PosterCard({
  movie,
  priority = false,
  note,
  linkQuery = "",
  headingLevel = 3,
}: {
  movie: MovieCard;
  priority?: boolean;
  note?: string;
  linkQuery?: string;
  headingLevel?: 2 | 3;
}) {
  const Title = headingLevel === 2 ? "h2" : "h3";
  // A priority (above-the-fold) card without a TMDB poster inlines its generated one: it is the
  // page's largest paint, and a request per card was most of the home page's LCP (issue 9).
  const src = priority && movie.poster.src === movie.poster.fallback ? generatedPosterDataUrl(movie) : movie.poster.src;
  return (
    <Link
      href={`/movies/${movie.id}${linkQuery}`}
      data-testid="poster-card"
      data-movie-id={movie.id}
      className="group relative block overflow-hidden rounded-lg bg-ink-900 ring-1 ring-white/5 transition hover:-translate-y-0.5 hover:ring-accent/60 focus-visible:ring-accent"
    >
      <div className="relative">
        {/* Decorative: the link is named by the title below; an alt would say the title twice. */}
        <PosterImage src={src} fallback={movie.poster.fallback} alt="" priority={priority} />
        <LinkPendingCue />
      </div>
      <div className="p-2.5">
        <Title className="truncate text-sm font-semibold" title={movie.title}>
          {movie.title}
        </Title>
        <p className="mt-0.5 flex items-center justify-between text-xs text-zinc-400">
          <span>{movie.year ?? "—"}</span>
          {/* Labelled "TMDB", without a star: a card on My ratings also shows the user's own stars
              out of 5 ("Your rating: ★ 4.5/5"), and the two scales read alike (QA). The link's
              name says the scale in words. */}
          {movie.voteAverage > 0 && (
            <span data-testid="tmdb-score">
              <span aria-hidden>
                <span className="text-[10px] font-semibold tracking-wide">TMDB</span> {movie.voteAverage.toFixed(1)}
              </span>
              <span className="sr-only">TMDB score {movie.voteAverage.toFixed(1)} out of 10</span>
            </span>
          )}
        </p>
        {note && <p className="mt-1 truncate text-[11px] text-accent/80">{note}</p>}
      </div>
    </Link>
  );
}
