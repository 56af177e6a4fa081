// The resume marker of a `simulate --scale` bulk load (scale-run.ts), a row of app_state. Its own
// module, depending on nothing but the database handle, so that interaction writes can tell the
// load's dropped indexes from a bug without importing the loader (which imports them).
import type { Database } from "better-sqlite3";

export const SCALE_MARKER_KEY = "simulate.scale";

/**
 * Resume state. `signature` is the JSON of the run's options (and catalog); `indexes` holds the
 * DDL of the interaction indexes dropped for the bulk load, emptied once they are rebuilt.
 */
export type ScaleMarker = { signature: string; nextUser: number; firstUserId: number | null; indexes?: string[] };

export function readScaleMarker(sqlite: Database): ScaleMarker | null {
  const row = sqlite.prepare("SELECT value FROM app_state WHERE key = ?").get(SCALE_MARKER_KEY) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as ScaleMarker) : null;
}

/**
 * When a `--scale` load has dropped the interaction indexes and not rebuilt them yet (it is
 * running, or was killed), what to tell someone whose write failed for it; null otherwise.
 */
export function describeUnfinishedScaleLoad(sqlite: Database): string | null {
  const marker = readScaleMarker(sqlite);
  if (!marker?.indexes?.length) return null;
  let command = "npm run simulate -- --scale SIZE --seed N with its own options";
  try {
    const { interactions, seed } = JSON.parse(marker.signature) as { interactions?: unknown; seed?: unknown };
    // --scale takes a plain count too, and the user count follows from it (scaleOptionsFor)
    if (Number.isInteger(interactions) && Number.isInteger(seed)) command = `npm run simulate -- --scale ${interactions} --seed ${seed}`;
  } catch {
    // an unreadable signature: the generic wording above
  }
  return (
    "a `simulate --scale` bulk load into this database is unfinished (it is running, or was interrupted), " +
    `and the interaction indexes it dropped are not rebuilt yet; re-run \`${command}\` to finish it, then try again`
  );
}
