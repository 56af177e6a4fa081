import Link from "next/link";
import type { MovieCard } from "@/lib/catalog/card";
import { PosterCard } from "./poster-card";

/**
 * A titled, horizontally scrolling row of posters. Cards are links, so Tab walks the row and the
 * browser scrolls each focused card into view; the row itself needs no script. `href` adds a link
 * beside the title: "See all" (named after the row for screen readers), or `linkLabel`, which
 * must say where it goes by itself ("More like Alien").
 */
export function MovieRow({
  id,
  title,
  movies,
  href,
  linkLabel,
  notes,
  emptyMessage,
}: {
  id: string;
  title: string;
  movies: MovieCard[];
  href?: string;
  linkLabel?: string;
  notes?: Record<number, string>;
  emptyMessage?: string;
}) {
  const headingId = `row-${id.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
  if (movies.length === 0 && !emptyMessage) return null;
  return (
    <section aria-labelledby={headingId} data-testid="movie-row" className="mt-10">
      {/* The link takes a line of its own when it and the title do not fit side by side. */}
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <h2 id={headingId} className="min-w-0 truncate text-lg font-bold tracking-tight sm:text-xl">
          {title}
        </h2>
        {href && (
          <Link href={href} title={linkLabel} className="min-w-0 truncate text-sm font-semibold text-accent hover:underline">
            {linkLabel ?? (
              <>
                See all<span className="sr-only">: {title}</span>
              </>
            )}
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
