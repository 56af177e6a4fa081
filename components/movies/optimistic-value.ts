import type { SaveError } from "./post-interaction";
import { toSaveError } from "./save-error";
import { createSaveQueue } from "./save-queue";

export type OptimisticState<T> = { value: T; pending: boolean; error: SaveError | null };

export type OptimisticValue<T> = {
  /** Show `next` at once and save it after any save in flight (see createSaveQueue). */
  save(next: T): Promise<void>;
  /** The page is going away: send a waiting value at once. */
  sendNow(): void;
  /**
   * The server's value as a re-rendered page gives it (another control changed it: marking a film
   * watched takes it off the watchlist): shown unless a save of this control is under way.
   */
  resync(value: T): void;
};

/**
 * A value shown at once while its save runs, the saves of one control going one at a time in the
 * order they were made: two in flight together could be handled in either order, so a quick
 * add-then-remove on the watchlist could end with the film on it while the button said it was
 * not. A failed save puts back the last value the server kept and says why (`fallback`, or
 * `fallback(value)` for the value that failed, unless the error has its own message); only the
 * newest choice's outcome is shown.
 */
export function createOptimisticValue<T>(
  initial: T,
  send: (value: T) => Promise<void>,
  onChange: (state: OptimisticState<T>, resynced?: boolean) => void,
  fallback: string | ((value: T) => string) = "Couldn't save that. Try again.",
): OptimisticValue<T> {
  const queue = createSaveQueue(send);
  let state: OptimisticState<T> = { value: initial, pending: false, error: null };
  let saved = initial; // the server's value, as far as this control knows
  let attempt = 0;
  const set = (patch: Partial<OptimisticState<T>>) => {
    state = { ...state, ...patch };
    onChange(state);
  };

  return {
    async save(next) {
      const mine = ++attempt;
      set({ value: next, pending: true, error: null });
      try {
        if ((await queue.save(next)) === "superseded") return;
        saved = next; // saves land in order: this is the server's value now
        if (mine === attempt) set({ pending: false });
      } catch (err) {
        if (mine !== attempt) return; // a newer choice is on its way; its outcome is the one shown
        const message = typeof fallback === "function" ? fallback(next) : fallback;
        set({ value: saved, pending: false, error: toSaveError(err, message) });
      }
    },
    sendNow: () => queue.sendNow(),
    resync(value) {
      if (state.pending || Object.is(value, saved)) return;
      saved = value;
      state = { value, pending: false, error: null };
      onChange(state, true);
    },
  };
}
