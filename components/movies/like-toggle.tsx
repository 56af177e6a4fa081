"use client";

import { ActivityToggle } from "./activity-toggle";
import { postInteraction } from "./post-interaction";

/** Record a like (1) or take it back (0): a like is a positive signal, as an onboarding pick is. */
export function saveLike(movieId: number, liked: boolean): Promise<void> {
  return postInteraction({ kind: "like", movieId, value: liked ? 1 : 0 });
}

/**
 * Like / unlike. `title`: for a card among others (the Likes page), the film it is about, read out
 * after the words so that each button has a name of its own.
 */
export function LikeToggle({ movieId, initial, title }: { movieId: number; initial: boolean; title?: string }) {
  const about = title ? <span className="sr-only"> ({title})</span> : null;
  return (
    <ActivityToggle
      initial={initial}
      save={(liked) => saveLike(movieId, liked)}
      testId="like-toggle"
      label={(liked) => (
        <>
          <span aria-hidden>{liked ? "♥" : "♡"}</span> {liked ? "Liked" : "Like"}
          {about}
        </>
      )}
    />
  );
}
