"use client";

import { ActivityToggle } from "./activity-toggle";
import { postInteraction } from "./post-interaction";

/** Record a like (1) or take it back (0): a like is a positive signal, as an onboarding pick is. */
export function saveLike(movieId: number, liked: boolean): Promise<void> {
  return postInteraction({ kind: "like", movieId, value: liked ? 1 : 0 });
}

/** Like / unlike. */
export function LikeToggle({ movieId, initial }: { movieId: number; initial: boolean }) {
  return (
    <ActivityToggle
      initial={initial}
      save={(liked) => saveLike(movieId, liked)}
      testId="like-toggle"
      label={(liked) => (
        <>
          <span aria-hidden>{liked ? "♥" : "♡"}</span> {liked ? "Liked" : "Like"}
        </>
      )}
    />
  );
}
