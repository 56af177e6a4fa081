"use client";

import { SaveErrorMessage, useOptimisticSave } from "./optimistic-save";
import { postInteraction } from "./post-interaction";

/** Record a like (1) or take it back (0): a like is a positive signal, as an onboarding pick is. */
export function saveLike(movieId: number, liked: boolean): Promise<void> {
  return postInteraction({ kind: "like", movieId, value: liked ? 1 : 0 });
}

/** Like / unlike; flips at once and flips back if the save fails; clicks are saved in order. */
export function LikeToggle({ movieId, initial }: { movieId: number; initial: boolean }) {
  const { value: liked, error, pending, save } = useOptimisticSave(initial, (next: boolean) => saveLike(movieId, next));

  return (
    <div>
      <button
        type="button"
        aria-pressed={liked}
        aria-busy={pending}
        onClick={() => save(!liked)}
        data-testid="like-toggle"
        className={`rounded-md px-4 py-2 text-sm font-semibold ring-1 transition ${
          liked ? "bg-accent/15 text-accent ring-accent/50" : "text-zinc-100 ring-white/15 hover:bg-ink-800"
        }`}
      >
        <span aria-hidden>{liked ? "♥" : "♡"}</span> {liked ? "Liked" : "Like"}
      </button>
      <SaveErrorMessage error={error} />
    </div>
  );
}
