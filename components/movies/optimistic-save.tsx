"use client";

import { useRouter } from "next/navigation";
import { useContext, useEffect, useState, useTransition } from "react";
import { KeptAfterRemoval } from "./kept-context";
import { createOptimisticValue, type OptimisticState } from "./optimistic-value";
import type { SaveError } from "./post-interaction";
import { SaveErrorText } from "./save-error";

/**
 * A value that changes at once on the screen while its save runs, and goes back (with a message)
 * if the save fails. Saves go one at a time in the order they were made, so the server ends on
 * the last choice (createOptimisticValue). Shared by the watchlist, like and watched toggles;
 * `send` saves one value of this control.
 */
export function useOptimisticSave<T>(initial: T, send: (value: T) => Promise<void>) {
  const router = useRouter();
  const [state, setState] = useState<OptimisticState<T>>({ value: initial, pending: false, error: null });
  const [refreshing, startRefresh] = useTransition();
  const [control] = useState(() =>
    createOptimisticValue(initial, send, (next, resynced) => {
      setState(next);
      // Saved: drop the router's copies of pages that show it (Back to the watchlist, Forward to
      // this movie), which would show the value from before the save; `refreshing` until the page
      // this control asked for has come.
      if (!next.pending && !next.error && !resynced) startRefresh(() => router.refresh());
    }),
  );
  // The page re-rendered with another server value (another control's save changed it), or the
  // page this control asked for after its save has come: its value is the server's now, even when
  // it equals the one the page first had (QA, under load: marking a film watched took it off the
  // watchlist on the server, but the page asked for after adding it read it already off, the same
  // value as at first, so nothing re-synced and the toggle said "On your watchlist"). A page
  // asked for before the save (another control's refresh) is not trusted while this one's is due,
  // nor the props of a card kept after the page dropped it (KeptList: they are from before).
  const kept = useContext(KeptAfterRemoval);
  useEffect(() => {
    if (!refreshing && !kept) control.resync(initial);
  }, [control, initial, refreshing, kept]);

  // Leaving the page while a save waits for the one before it sends it at once, not never.
  useEffect(() => {
    const leave = () => control.sendNow();
    window.addEventListener("pagehide", leave);
    return () => {
      window.removeEventListener("pagehide", leave);
      leave();
    };
  }, [control]);

  return { ...state, save: (next: T) => void control.save(next) };
}

export function SaveErrorMessage({ error }: { error: SaveError | null }) {
  if (!error) return null;
  return (
    <p role="alert" className="mt-1 text-sm text-red-300">
      <SaveErrorText error={error} />
    </p>
  );
}
