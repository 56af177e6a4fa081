import type { ReactNode } from "react";
import type { MovieCard } from "@/lib/catalog/card";
import { KeptList } from "./kept-list";
import { PosterCard } from "./poster-card";

export const gridClass =
  "grid grid-cols-2 gap-3 sm:grid-cols-3 sm:gap-4 md:grid-cols-4 lg:grid-cols-5 xl:grid-cols-6 2xl:grid-cols-7";

/**
 * The poster grid: 2 columns on a phone, up to 7 on a wide screen. It sits right under the page's
 * h1, so the titles are h2.
 */
export function CardGrid({
  movies,
  emptyMessage = "No movies to show yet.",
  priorityCount = 12, // two rows at 1280 px (6 columns): everything above the fold loads eagerly
  notes,
  testId,
  linkQuery,
  actions,
  keepRemoved,
}: {
  movies: MovieCard[];
  emptyMessage?: ReactNode;
  priorityCount?: number;
  notes?: Record<number, string>;
  testId?: string;
  linkQuery?: string;
  /** Controls under a card (the watchlist's toggle), outside its link. */
  actions?: (movie: MovieCard) => ReactNode;
  /**
   * A list of the user's own whose cards can take a film off it (`actions`): a card stays in place
   * when the refreshed page no longer has it (KeptList), until the next visit. Its value is the
   * page's identity (e.g. its page number): another value starts the list afresh.
   */
  keepRemoved?: string;
}) {
  const empty = (
    <div role="status" className="rounded-lg border border-dashed border-white/10 p-10 text-center text-zinc-400">
      {emptyMessage}
    </div>
  );
  if (movies.length === 0 && keepRemoved === undefined) return empty;
  const card = (m: MovieCard, i: number) => (
    <>
      <PosterCard movie={m} priority={i < priorityCount} note={notes?.[m.id]} linkQuery={linkQuery} headingLevel={2} />
      {actions && <div className="mt-2">{actions(m)}</div>}
    </>
  );
  if (keepRemoved !== undefined) {
    const items = movies.map((m, i) => ({ key: String(m.id), node: card(m, i) }));
    return <KeptList key={keepRemoved} items={items} className={gridClass} testId={testId} empty={empty} />;
  }
  return (
    <ul className={gridClass} data-testid={testId}>
      {movies.map((m, i) => (
        <li key={m.id}>{card(m, i)}</li>
      ))}
    </ul>
  );
}
