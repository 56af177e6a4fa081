"use client";

import { useState, useTransition } from "react";
import { postInteraction, SaveError } from "./post-interaction";

/** "Mark as watched": records a watch. A watch stays in the history, so there is no undo. */
export function WatchedButton({ movieId, initial }: { movieId: number; initial: boolean }) {
  const [watched, setWatched] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function markWatched() {
    setWatched(true);
    setError(null);
    startTransition(async () => {
      try {
        await postInteraction({ kind: "watch", movieId });
      } catch (err) {
        setWatched(false);
        setError(err instanceof SaveError ? err.message : "Couldn't save that. Try again.");
      }
    });
  }

  return (
    <div>
      <button
        type="button"
        onClick={markWatched}
        disabled={watched}
        aria-busy={pending}
        data-testid="watched-button"
        className="rounded-md px-4 py-2 text-sm font-semibold text-zinc-100 ring-1 ring-white/15 transition hover:bg-ink-800 disabled:cursor-default disabled:text-zinc-400 disabled:hover:bg-transparent"
      >
        {watched ? "✓ Watched" : "Mark as watched"}
      </button>
      {error && (
        <p role="alert" className="mt-1 text-sm text-red-300">
          {error}
        </p>
      )}
    </div>
  );
}
