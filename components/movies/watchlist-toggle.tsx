"use client";

import { ActivityToggle, Mark } from "./activity-toggle";
import { postInteraction } from "./post-interaction";

/**
 * Add to / remove from the watchlist. `title`: for a card among others (the watchlist page), the
 * film it is about, read out after the words so that each button has a name of its own.
 */
export function WatchlistToggle({ movieId, initial, title }: { movieId: number; initial: boolean; title?: string }) {
  const about = title ? <span className="sr-only"> ({title})</span> : null;
  return (
    <ActivityToggle
      initial={initial}
      save={(on) => postInteraction({ kind: "watchlist", movieId, value: on ? 1 : 0 })}
      testId="watchlist-toggle"
      label={(on) => (on ? <><Mark>✓</Mark>On your watchlist{about}</> : <><Mark>+</Mark>Add to watchlist{about}</>)}
    />
  );
}
