"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { createOptimisticValue } from "./optimistic-value";
import { deleteInteraction, postInteraction, type SaveError } from "./post-interaction";
import { SaveErrorText } from "./save-error";

const VALUES = [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5] as const;
// The arrow keys step through the values one at a time: save where the user stops, not each step.
// A click (or Space) picks a value outright and is saved at once, so a reload right after it
// shows it (was: every save waited, and the one sent at pagehide lost the race with the reload).
const KEY_STEP_SAVE_DELAY_MS = 350;
const STEP_KEYS = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"]);

function starsLabel(v: number) {
  return `${v} ${v === 1 ? "star" : "stars"}`;
}

/**
 * Half of a star: the left half for x.5 values, the right half for whole ones. A star is 48px, so
 * each half (one radio's target) is 24px wide, WCAG 2.2's minimum target size, on every screen
 * (the halves sit side by side, so spacing cannot make up for a smaller one).
 */
function HalfStar({ side, filled }: { side: "left" | "right"; filled: boolean }) {
  return (
    <svg
      aria-hidden
      viewBox="0 0 24 24"
      className={`absolute top-0 h-12 w-12 ${side === "left" ? "left-0" : "-left-6"} ${filled ? "text-accent" : "text-zinc-500"}`}
    >
      <path
        fill="currentColor"
        d="M12 2.5l2.9 6.1 6.6.8-4.9 4.6 1.3 6.6L12 17.3l-5.9 3.3 1.3-6.6-4.9-4.6 6.6-.8z"
      />
    </svg>
  );
}

/**
 * Star rating, 0.5–5 in half steps. Ten native radio buttons (visually replaced by star halves),
 * so Tab reaches the group and the arrow keys change the value, as in any radio group. The value
 * changes at once (optimistic) and is saved at once (after a short pause when stepped with the
 * arrow keys); saves go one at a time, in order, so the last one wins (createOptimisticValue,
 * as the watchlist and watched buttons). A failed save puts back the last saved value and says why.
 */
export function RatingInput({ movieId, title, initial }: { movieId: number; title: string; initial: number | null }) {
  const router = useRouter();
  const [value, setValue] = useState<number | null>(initial);
  const [hover, setHover] = useState<number | null>(null);
  const [status, setStatus] = useState<{ kind: "idle" | "saving" | "saved" | "error"; error?: SaveError }>({ kind: "idle" });
  const unsaved = useRef<number | null>(null); // stepped to with the arrow keys, waiting for the pause
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const stepping = useRef(false); // the next change comes from an arrow key
  const firstStar = useRef<HTMLInputElement>(null);
  // null clears the rating; one control for both, so a clear never overtakes the rating before it
  const [control] = useState(() =>
    createOptimisticValue<number | null>(
      initial,
      (v) => (v === null ? deleteInteraction(movieId, "rating") : postInteraction({ kind: "rating", movieId, value: v })),
      (state) => {
        // A value stepped to during the pause is the newest choice: what is shown is its, not
        // the outcome of the save before it.
        if (unsaved.current !== null) return;
        setValue(state.value);
        if (state.pending) return setStatus({ kind: "saving" });
        if (state.error) return setStatus({ kind: "error", error: state.error });
        setStatus({ kind: "saved" });
        // drop the router's copies of pages from before (Back to home showed the rated film)
        router.refresh();
      },
      (v) => (v === null ? "Couldn't clear that. Try again." : "Couldn't save that. Try again."),
    ),
  );

  const flush = useCallback(() => {
    clearTimeout(timer.current);
    if (unsaved.current === null) return;
    const v = unsaved.current;
    unsaved.current = null;
    void control.save(v);
  }, [control]);

  // Leaving the page (or the component) during the pause, or while a save waits for the one
  // before it, sends it at once instead of dropping it.
  useEffect(() => {
    const leave = () => {
      flush();
      control.sendNow();
    };
    window.addEventListener("pagehide", leave);
    return () => {
      window.removeEventListener("pagehide", leave);
      leave();
    };
  }, [flush, control]);

  function choose(v: number) {
    const fromArrowKey = stepping.current;
    stepping.current = false;
    setValue(v);
    setStatus({ kind: "saving" });
    unsaved.current = v;
    clearTimeout(timer.current);
    if (fromArrowKey) timer.current = setTimeout(flush, KEY_STEP_SAVE_DELAY_MS);
    else flush();
  }

  function clear() {
    // The button goes away with the rating: keep focus in the widget (on the star group, now
    // with nothing checked) rather than letting it fall to <body>, so the arrow keys still rate.
    firstStar.current?.focus();
    clearTimeout(timer.current);
    unsaved.current = null;
    void control.save(null);
  }

  const shown = hover ?? value ?? 0;
  const name = `rating-${movieId}`;
  return (
    <fieldset data-testid="rating-input">
      <legend className="text-sm font-semibold text-zinc-300">Your rating</legend>
      {/* The status and Clear take the line under the stars (beside 240px of stars they had room
          for a word or two a line on a phone, and wrapped in the activity box on a desktop). */}
      <div className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1">
        <div
          className="flex"
          onMouseLeave={() => setHover(null)}
          onKeyDown={(e) => {
            stepping.current = STEP_KEYS.has(e.key);
          }}
          onPointerDown={() => {
            stepping.current = false;
          }}
        >
          {VALUES.map((v) => (
            <label
              key={v}
              className="relative h-12 w-6 cursor-pointer overflow-hidden rounded-sm has-[:focus-visible]:outline has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent"
              onMouseEnter={() => setHover(v)}
            >
              <input
                type="radio"
                name={name}
                value={v}
                checked={value === v}
                onChange={() => choose(v)}
                ref={v === VALUES[0] ? firstStar : undefined}
                aria-label={starsLabel(v)}
                className="sr-only"
              />
              <HalfStar side={Number.isInteger(v) ? "right" : "left"} filled={v <= shown} />
            </label>
          ))}
        </div>
        <div className="flex min-w-0 basis-full items-center gap-3">
          <p aria-live="polite" className="min-w-0 text-sm text-zinc-400" data-testid="rating-status">
            {status.kind === "saving" && "Saving…"}
            {status.kind === "saved" && (value !== null ? `Saved: ${starsLabel(value)}` : "Rating cleared")}
            {status.kind === "idle" && (value === null ? `Rate ${title}` : `You rated it ${starsLabel(value)}`)}
            {status.kind === "error" && status.error && (
              <span className="text-red-300">
                <SaveErrorText error={status.error} />
              </span>
            )}
          </p>
          {value !== null && status.kind !== "saving" && (
            <button
              type="button"
              onClick={clear}
              className="rounded px-2 py-1 text-xs font-semibold text-zinc-400 underline-offset-2 hover:text-zinc-100 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-accent"
            >
              Clear rating
            </button>
          )}
        </div>
        {status.kind === "saved" && value !== null && (
          // folded into the user's picks at once (lib/recs/serve.ts), no retrain needed: say so, on a
          // line of its own (the status stays on one), after Clear rating in the keyboard's order
          <p className="basis-full text-xs">
            <Link href="/" data-testid="picks-updated" className="font-semibold text-accent underline-offset-2 hover:underline">
              See your updated picks
            </Link>
          </p>
        )}
      </div>
    </fieldset>
  );
}
