"use client";

import { useState, useTransition } from "react";
import { postInteraction, SaveError } from "./post-interaction";

/** Add to / remove from the watchlist; flips at once and flips back if the save fails. */
export function WatchlistToggle({ movieId, initial }: { movieId: number; initial: boolean }) {
  const [on, setOn] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function toggle() {
    const next = !on;
    setOn(next);
    setError(null);
    startTransition(async () => {
      try {
        await postInteraction({ kind: "watchlist", movieId, value: next ? 1 : 0 });
      } catch (err) {
        setOn(!next);
        setError(err instanceof SaveError ? err.message : "Couldn't save that. Try again.");
      }
    });
  }

  return (
    <div>
      <button
        type="button"
        aria-pressed={on}
        aria-busy={pending}
        onClick={toggle}
        data-testid="watchlist-toggle"
        className={`rounded-md px-4 py-2 text-sm font-semibold ring-1 transition ${
          on ? "bg-accent/15 text-accent ring-accent/50" : "text-zinc-100 ring-white/15 hover:bg-ink-800"
        }`}
      >
        {on ? "✓ On your watchlist" : "+ Add to watchlist"}
      </button>
      {error && (
        <p role="alert" className="mt-1 text-sm text-red-300">
          {error}
        </p>
      )}
    </div>
  );
}
