"use client";

import { SaveErrorMessage, useOptimisticSave } from "./optimistic-save";
import { deleteInteraction, postInteraction } from "./post-interaction";

/** Record a watch, or take it back (a watch marked by mistake). */
export function saveWatched(movieId: number, watched: boolean): Promise<void> {
  return watched ? postInteraction({ kind: "watch", movieId }) : deleteInteraction(movieId, "watch");
}

/**
 * "Mark as watched", pressed once it is; pressing it again takes the watch back. Never disabled:
 * a button that turns disabled under the keyboard drops focus to <body>.
 */
export function WatchedButton({ movieId, initial }: { movieId: number; initial: boolean }) {
  const { value: watched, error, pending, save } = useOptimisticSave(initial, (next: boolean) => saveWatched(movieId, next));

  return (
    <div>
      <button
        type="button"
        aria-pressed={watched}
        aria-busy={pending}
        onClick={() => save(!watched)}
        data-testid="watched-button"
        className={`rounded-md px-4 py-2 text-sm font-semibold ring-1 transition ${
          watched ? "bg-accent/15 text-accent ring-accent/50" : "text-zinc-100 ring-white/15 hover:bg-ink-800"
        }`}
      >
        {watched ? "✓ Watched" : "Mark as watched"}
      </button>
      <SaveErrorMessage error={error} />
    </div>
  );
}
