"use client";

import { ActivityToggle, Mark } from "./activity-toggle";
import { deleteInteraction, postInteraction } from "./post-interaction";

/** Record a watch, or take it back (a watch marked by mistake). */
export function saveWatched(movieId: number, watched: boolean): Promise<void> {
  return watched ? postInteraction({ kind: "watch", movieId }) : deleteInteraction(movieId, "watch");
}

/**
 * "Mark as watched", pressed once it is; pressing it again takes the watch back. `title`: for a
 * card among others (the Watched page), the film it is about, read out after the words.
 */
export function WatchedButton({ movieId, initial, title }: { movieId: number; initial: boolean; title?: string }) {
  const about = title ? <span className="sr-only"> ({title})</span> : null;
  return (
    <ActivityToggle
      initial={initial}
      save={(watched) => saveWatched(movieId, watched)}
      testId="watched-button"
      label={(watched) => (watched ? <><Mark>✓</Mark>Watched{about}</> : <>Mark as watched{about}</>)}
    />
  );
}
