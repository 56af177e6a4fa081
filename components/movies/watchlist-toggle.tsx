"use client";

import { ActivityToggle, Mark } from "./activity-toggle";
import { postInteraction } from "./post-interaction";

/** Add to / remove from the watchlist. */
export function WatchlistToggle({ movieId, initial }: { movieId: number; initial: boolean }) {
  return (
    <ActivityToggle
      initial={initial}
      save={(on) => postInteraction({ kind: "watchlist", movieId, value: on ? 1 : 0 })}
      testId="watchlist-toggle"
      label={(on) => (on ? <><Mark>✓</Mark>On your watchlist</> : <><Mark>+</Mark>Add to watchlist</>)}
    />
  );
}
