"use client";

import { SaveErrorMessage, useOptimisticSave } from "./optimistic-save";
import { postInteraction } from "./post-interaction";

/** "Mark as watched": records a watch. A watch stays in the history, so there is no undo. */
export function WatchedButton({ movieId, initial }: { movieId: number; initial: boolean }) {
  const { value: watched, error, pending, save } = useOptimisticSave(initial, () => postInteraction({ kind: "watch", movieId }));

  return (
    <div>
      <button
        type="button"
        onClick={() => save(true)}
        disabled={watched}
        aria-busy={pending}
        data-testid="watched-button"
        className="rounded-md px-4 py-2 text-sm font-semibold text-zinc-100 ring-1 ring-white/15 transition hover:bg-ink-800 disabled:cursor-default disabled:text-zinc-400 disabled:hover:bg-transparent"
      >
        {watched ? "✓ Watched" : "Mark as watched"}
      </button>
      <SaveErrorMessage error={error} />
    </div>
  );
}
