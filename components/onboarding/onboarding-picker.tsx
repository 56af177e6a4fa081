"use client";

import Link from "next/link";
import { useActionState, useEffect, useMemo, useRef, useState } from "react";
import { reachableAction, UNREACHABLE } from "@/components/ui/reachable-action";
import type { MovieCard } from "@/lib/catalog/card";
import { gridClass } from "@/components/movies/card-grid";
import { PosterImage } from "@/components/movies/poster-image";
import { formatCount } from "@/lib/util/format";
import { MAX_PICKS, MIN_PICKS, PICK_LIMIT_MESSAGE, togglePick, type OnboardingState } from "./picks";

type Action = (prev: OnboardingState, form: FormData) => Promise<OnboardingState>;

type ApiMovie = {
  id: number;
  title: string;
  year: number | null;
  genres: string[];
  voteAverage: number;
  posterUrl: string;
  posterFallbackUrl: string;
};

const SEARCH_DELAY_MS = 300;

/**
 * One film to pick. `full`: the picks are at MAX_PICKS, so an unpicked card is unavailable. It is
 * aria-disabled rather than disabled: it stays a tab stop, and a click is answered (the picker
 * says why nothing happened) instead of doing nothing.
 */
function PickCard({ movie, picked, full, onToggle }: { movie: MovieCard; picked: boolean; full: boolean; onToggle: () => void }) {
  const unavailable = full && !picked;
  return (
    <button
      type="button"
      aria-pressed={picked}
      aria-disabled={unavailable || undefined}
      aria-describedby={unavailable ? "onboarding-count" : undefined}
      onClick={onToggle}
      data-testid="onboarding-pick"
      data-movie-id={movie.id}
      className={`group relative block w-full scroll-mb-20 overflow-hidden rounded-lg bg-ink-900 text-left ring-2 transition ${
        picked ? "ring-accent" : unavailable ? "cursor-not-allowed opacity-50 ring-white/5" : "ring-white/5 hover:ring-white/30"
      }`}
    >
      {/* Decorative: the button is named by the title below (see PosterCard). */}
      <PosterImage src={movie.poster.src} fallback={movie.poster.fallback} alt="" />
      {picked && (
        <span aria-hidden className="absolute right-2 top-2 flex h-7 w-7 items-center justify-center rounded-full bg-accent text-sm font-bold text-black">
          ✓
        </span>
      )}
      <span className="block p-2.5">
        <span className="block truncate text-sm font-semibold" title={movie.title}>
          {movie.title}
        </span>
        <span className="mt-0.5 block text-xs text-zinc-400">
          {movie.year ?? "—"}
          {movie.genres[0] ? ` · ${movie.genres[0]}` : ""}
        </span>
      </span>
    </button>
  );
}

function fromApi(m: ApiMovie): MovieCard {
  return { id: m.id, title: m.title, year: m.year, genres: m.genres, voteAverage: m.voteAverage, poster: { src: m.posterUrl, fallback: m.posterFallbackUrl } };
}

/**
 * Pick favourites: a varied grid plus a title search (through the public /api/movies). Picks are
 * kept across searches; the form sends their ids to the server action, which records them.
 */
export function OnboardingPicker({
  candidates,
  initialPicks,
  next,
  action,
}: {
  candidates: MovieCard[];
  initialPicks: MovieCard[];
  next: string;
  action: Action;
}) {
  const [picks, setPicks] = useState<Map<number, MovieCard>>(() => new Map(initialPicks.map((m) => [m.id, m])));
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<{ query: string; movies: MovieCard[] } | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);
  // a request that never reached the server keeps the picks (they are this component's state)
  const send = useMemo(() => reachableAction(action, (): OnboardingState => ({ error: UNREACHABLE })), [action]);
  const [state, formAction, pending] = useActionState<OnboardingState, FormData>(send, {});
  const latest = useRef(0);
  // Picks refused at the limit, counted so that each refusal is announced again (a new node in
  // the live region), not only the first; back to 0 once a pick is taken back.
  const [refusals, setRefusals] = useState(0);

  function toggle(movie: MovieCard) {
    const result = togglePick(picks, movie);
    if (result.refused) return setRefusals((n) => n + 1);
    setPicks(result.picks);
    setRefusals(0);
  }

  // A cleared box clears the results and any error at once (in the handler, not in the effect).
  function search(value: string) {
    setQuery(value);
    if (!value.trim()) {
      setResults(null);
      setSearchError(null);
    }
  }

  useEffect(() => {
    const q = query.trim();
    const id = ++latest.current;
    // Nothing to search for; the bump above drops the answer to a search still in flight, which
    // would otherwise bring its results back after the box was cleared.
    if (!q) return;
    const timer = setTimeout(async () => {
      try {
        const res = await fetch(`/api/movies?${new URLSearchParams({ query: q.slice(0, 100), pageSize: "12" })}`);
        if (!res.ok) throw new Error(String(res.status));
        const body = (await res.json()) as { items: ApiMovie[] };
        if (id !== latest.current) return;
        setResults({ query: q, movies: body.items.map(fromApi) });
        setSearchError(null);
      } catch {
        if (id === latest.current) setSearchError("Search is not available right now; pick from the grid below.");
      }
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [query]);

  const count = picks.size;
  const missing = Math.max(0, MIN_PICKS - count);
  const full = count >= MAX_PICKS;
  // Picks the grid does not show (found by title, or liked on an earlier visit): listed so they can be un-picked.
  const gridIds = new Set(candidates.map((m) => m.id));
  const [initialIds] = useState(() => initialPicks.map((m) => m.id));
  const pickList = (movies: MovieCard[], testId: string) => (
    <ul className={gridClass} data-testid={testId}>
      {movies.map((m) => (
        <li key={m.id}>
          <PickCard movie={m} picked={picks.has(m.id)} full={full} onToggle={() => toggle(m)} />
        </li>
      ))}
    </ul>
  );
  const elsewhere = [...new Map([...initialPicks.map((m) => [m.id, m] as const), ...picks]).values()].filter((m) => !gridIds.has(m.id));
  return (
    <div>
      <form role="search" onSubmit={(e) => e.preventDefault()} className="max-w-md">
        <label className="block text-sm font-semibold text-zinc-300">
          Find a film by title
          <input
            type="search"
            value={query}
            onChange={(e) => search(e.target.value)}
            maxLength={100}
            placeholder="e.g. Toy Story"
            className="mt-1 w-full rounded-md bg-ink-800 px-3 py-2 text-sm text-zinc-100 ring-1 ring-white/10 placeholder:text-zinc-400"
          />
        </label>
      </form>

      {/* One short line is announced per search; the results themselves are not a live region
          (it read out every card of every search). */}
      <p role="status" className="sr-only" data-testid="onboarding-search-status">
        {searchError ?? (results ? (results.movies.length ? `${formatCount(results.movies.length, "film")} found for “${results.query}”` : `No films match “${results.query}”.`) : "")}
      </p>
      <div>
        {searchError && <p className="mt-3 text-sm text-red-300">{searchError}</p>}
        {results && (
          <section aria-label={`Search results for ${results.query}`} className="mt-6">
            <h2 className="mb-3 text-lg font-bold [overflow-wrap:anywhere]">Results for “{results.query}”</h2>
            {results.movies.length === 0 ? (
              <p className="rounded-lg border border-dashed border-white/10 p-6 text-center text-sm text-zinc-400 [overflow-wrap:anywhere]">
                No films match “{results.query}”.
              </p>
            ) : (
              pickList(results.movies, "onboarding-results")
            )}
          </section>
        )}
      </div>

      {elsewhere.length > 0 && (
        <section aria-labelledby="onboarding-yours-title" className="mt-8">
          <h2 id="onboarding-yours-title" className="mb-3 text-lg font-bold">
            Your picks
          </h2>
          {pickList(elsewhere, "onboarding-yours")}
        </section>
      )}

      <section aria-labelledby="onboarding-grid-title" className="mt-8">
        <h2 id="onboarding-grid-title" className="mb-3 text-lg font-bold">
          Popular across genres
        </h2>
        {pickList(candidates, "onboarding-grid")}
      </section>

      <form
        action={formAction}
        className="sticky bottom-0 z-30 -mx-4 mt-8 border-t border-white/10 bg-ink-950/95 backdrop-blur sm:-mx-6"
        aria-describedby="onboarding-count"
      >
        <input type="hidden" name="next" value={next} />
        {[...picks.keys()].map((id) => (
          <input key={id} type="hidden" name="movieId" value={id} />
        ))}
        {initialIds.map((id) => (
          <input key={`initial-${id}`} type="hidden" name="initialPick" value={id} />
        ))}
        <div className="flex flex-wrap items-center gap-3 px-4 py-3 sm:px-6">
          <div className="text-sm">
            <p id="onboarding-count" role="status" className="text-zinc-300" data-testid="onboarding-count">
              <strong className="text-zinc-100">{count}</strong> picked
              {missing > 0 ? ` · pick ${missing} more` : full ? " · ready · the most you can pick" : " · ready"}
            </p>
            <p role="status" className="text-accent" data-testid="onboarding-limit">
              {refusals > 0 && <span key={refusals}>{PICK_LIMIT_MESSAGE}</span>}
            </p>
          </div>
          {state.error && (
            <p role="alert" className="text-sm text-red-300">
              {state.error}
            </p>
          )}
          <div className="ml-auto flex items-center gap-3">
            <Link href={next} className="text-sm font-semibold text-zinc-400 hover:text-zinc-100">
              Skip for now
            </Link>
            {/* aria-disabled, not disabled: it stays in the Tab order and says why (the count), as the
                grid's cards and the jobs page's buttons do (QA: it dropped out of the keyboard's way) */}
            <button
              type="submit"
              aria-disabled={missing > 0 || pending || undefined}
              aria-describedby="onboarding-count"
              onClick={(e) => {
                if (missing > 0 || pending) e.preventDefault();
              }}
              className="rounded-md bg-accent px-5 py-2 text-sm font-semibold text-black transition hover:brightness-110 aria-disabled:cursor-not-allowed aria-disabled:opacity-40"
            >
              {pending ? "Saving…" : "Show my recommendations"}
            </button>
          </div>
        </div>
      </form>
    </div>
  );
}
