import { getDriftOverview } from "@/lib/mlops/drift";
import { logError } from "@/lib/util/log";
import { DriftPanel } from "./drift-panel";

/**
 * The overview's drift panel, computed on the server (it reads every interaction, off the event
 * loop: lib/db/off-thread.ts; the page streams it in), or what went wrong in its place, so the
 * rest of the overview stays (a failure here was the whole page's error).
 */
export async function DriftSection() {
  let overview;
  try {
    overview = await getDriftOverview();
  } catch (err) {
    logError("admin overview: drift could not be computed", err);
    return (
      <div role="alert" data-testid="drift-error" className="rounded-lg bg-ink-900 p-4 text-sm text-zinc-300 ring-1 ring-red-500/30">
        Drift could not be computed just now (the server log says why). Reload the page to try again.
      </div>
    );
  }
  return <DriftPanel overview={overview} />;
}
