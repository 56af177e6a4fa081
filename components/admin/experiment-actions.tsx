"use client";

import { useRouter } from "next/navigation";
import { postSwitch } from "./admin-fetch";
import { ConfirmButton } from "./confirm-button";
import { adminButtonShape } from "./model-actions";

/** Stop experiment `id` (promoting `promoteArm`'s version when given), then show the new state. */
export function stopExperiment(id: number, promoteArm: string | undefined, refresh: () => void) {
  return postSwitch(`/api/admin/experiments/${id}/stop`, promoteArm ? { promoteArm } : {}, refresh);
}

/**
 * Stop the running experiment, or stop it and promote the suggested winner (audited like any
 * promotion). Both ask first: a stopped experiment cannot be resumed. A stopped experiment has no
 * actions, so focus then goes to the verdict, which says how it was stopped.
 */
export function ExperimentActions({ id, winner, winnerVersion }: { id: number; winner: string | null; winnerVersion: number | null }) {
  const router = useRouter();
  const stop = (promoteArm?: string) => stopExperiment(id, promoteArm, () => router.refresh());
  return (
    <div className="flex flex-wrap justify-end gap-2">
      <ConfirmButton
        label="Stop"
        question="Stop the experiment? It cannot be resumed."
        confirmLabel="Yes, stop it"
        dismissLabel="Keep it running"
        pendingLabel="Stopping…"
        action={() => stop()}
        focusWhenDone="experiment-verdict"
        shape={adminButtonShape}
        className="bg-ink-800 text-zinc-100 ring-white/15 hover:bg-ink-700"
      />
      <ConfirmButton
        label={winner === null ? "No winner yet" : `Stop and promote arm ${winner} (v${winnerVersion})`}
        question={`Stop the experiment and serve v${winnerVersion} to every user?`}
        confirmLabel={`Yes, promote arm ${winner}`}
        pendingLabel="Promoting…"
        action={() => stop(winner ?? undefined)}
        focusWhenDone="experiment-verdict"
        disabled={winner === null}
        title={winner === null ? "No arm is significantly better yet" : undefined}
        shape={adminButtonShape}
        className="bg-accent text-black ring-accent/40"
      />
    </div>
  );
}
