import Link from "next/link";
import type { MovieCard } from "@/lib/catalog/card";
import { PosterCard } from "./poster-card";

/**
 * A titled, horizontally scrolling row of posters. Cards are links, so Tab walks the row and the
 * browser scrolls each focused card into view; the row itself needs no script.
 */
export function MovieRow({
  id,
  title,
  movies,
  href,
  notes,
  emptyMessage,
}: {
  id: string;
  title: string;
  movies: MovieCard[];
  href?: string;
  notes?: Record<number, string>;
  emptyMessage?: string;
}) {
  const headingId = `row-${id.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
  if (movies.length === 0 && !emptyMessage) return null;
  return (
    <section aria-labelledby={headingId} data-testid="movie-row" className="mt-10">
      <div className="mb-3 flex items-baseline justify-between gap-4">
        <h2 id={headingId} className="truncate text-lg font-bold tracking-tight sm:text-xl">
          {title}
        </h2>
        {href && (
          <Link href={href} className="shrink-0 text-sm font-semibold text-accent hover:underline">
            See all<span className="sr-only">: {title}</span>
          </Link>
        )}
      </div>
      {movies.length === 0 ? (
        <p role="status" className="rounded-lg border border-dashed border-white/10 p-6 text-center text-sm text-zinc-400">
          {emptyMessage}
        </p>
      ) : (
        <ul className="-mx-4 flex snap-x scroll-px-4 gap-3 overflow-x-auto px-4 pb-3 sm:-mx-6 sm:scroll-px-6 sm:gap-4 sm:px-6">
          {movies.map((m) => (
            <li key={m.id} className="w-32 shrink-0 snap-start sm:w-36 lg:w-40">
              <PosterCard movie={m} note={notes?.[m.id]} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
