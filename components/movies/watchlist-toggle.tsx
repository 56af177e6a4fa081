"use client";

import { SaveErrorMessage, useOptimisticSave } from "./optimistic-save";
import { postInteraction } from "./post-interaction";

/** Add to / remove from the watchlist; flips at once and flips back if the save fails; clicks are saved in order. */
export function WatchlistToggle({ movieId, initial }: { movieId: number; initial: boolean }) {
  const { value: on, error, pending, save } = useOptimisticSave(initial, (next: boolean) =>
    postInteraction({ kind: "watchlist", movieId, value: next ? 1 : 0 }),
  );

  return (
    <div>
      <button
        type="button"
        aria-pressed={on}
        aria-busy={pending}
        onClick={() => save(!on)}
        data-testid="watchlist-toggle"
        className={`rounded-md px-4 py-2 text-sm font-semibold ring-1 transition ${
          on ? "bg-accent/15 text-accent ring-accent/50" : "text-zinc-100 ring-white/15 hover:bg-ink-800"
        }`}
      >
        {on ? "✓ On your watchlist" : "+ Add to watchlist"}
      </button>
      <SaveErrorMessage error={error} />
    </div>
  );
}
