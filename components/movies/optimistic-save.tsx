"use client";

import { useState, useTransition } from "react";
import type { SaveError } from "./post-interaction";
import { SaveErrorText, toSaveError } from "./save-error";

/**
 * A value that changes at once on the screen while its save runs, and goes back (with a message)
 * if the save fails. Shared by the watchlist toggle and the "mark as watched" button.
 */
export function useOptimisticSave<T>(initial: T) {
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<SaveError | null>(null);
  const [pending, startTransition] = useTransition();

  function save(next: T, send: () => Promise<unknown>) {
    const previous = value;
    setValue(next);
    setError(null);
    startTransition(async () => {
      try {
        await send();
      } catch (err) {
        setValue(previous);
        setError(toSaveError(err, "Couldn't save that. Try again."));
      }
    });
  }

  return { value, error, pending, save };
}

export function SaveErrorMessage({ error }: { error: SaveError | null }) {
  if (!error) return null;
  return (
    <p role="alert" className="mt-1 text-sm text-red-300">
      <SaveErrorText error={error} />
    </p>
  );
}
