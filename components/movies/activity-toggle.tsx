"use client";

import type { ReactNode } from "react";
import { SaveErrorMessage, useOptimisticSave } from "./optimistic-save";

/**
 * The movie page's on/off activity buttons (like, watchlist, watched): pressed while on; flips at
 * once and flips back if the save fails; clicks are saved in order. Never disabled: a button that
 * turns disabled under the keyboard drops focus to <body>.
 */
export function ActivityToggle({
  initial,
  save: persist,
  testId,
  label,
}: {
  initial: boolean;
  save: (on: boolean) => Promise<void>;
  testId: string;
  /** What the button says; symbols go in <Mark>, which screen readers skip (the name stays "Watched"). */
  label: (on: boolean) => ReactNode;
}) {
  const { value: on, error, pending, save } = useOptimisticSave(initial, persist);
  return (
    <div>
      <button
        type="button"
        aria-pressed={on}
        aria-busy={pending}
        onClick={() => save(!on)}
        data-testid={testId}
        className={`rounded-md px-4 py-2 text-sm font-semibold ring-1 transition ${
          on ? "bg-accent/15 text-accent ring-accent/50" : "text-zinc-100 ring-white/15 hover:bg-ink-800"
        }`}
      >
        {label(on)}
      </button>
      {/* as wide as the button, not wider: it wraps under it instead of pushing the buttons beside it away (QA) */}
      <div className="w-0 min-w-full">
        <SaveErrorMessage error={error} />
      </div>
    </div>
  );
}

/** A symbol before a button's words ("✓ ", "+ "): seen, not read out as part of its name. */
export function Mark({ children }: { children: string }) {
  return <span aria-hidden="true">{children} </span>;
}
