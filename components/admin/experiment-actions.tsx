"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { adminFetch } from "./admin-fetch";

const buttonClass = "whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-semibold ring-1 transition disabled:cursor-not-allowed disabled:opacity-50";

/** Stop the running experiment, or stop it and promote the suggested winner (audited like any promotion). */
export function ExperimentActions({ id, winner, winnerVersion }: { id: number; winner: string | null; winnerVersion: number | null }) {
  const router = useRouter();
  const [pending, setPending] = useState<"stop" | "promote" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const stop = async (promoteArm?: string) => {
    setPending(promoteArm ? "promote" : "stop");
    setError(null);
    const res = await adminFetch(`/api/admin/experiments/${id}/stop`, { method: "POST", body: promoteArm ? { promoteArm } : {} });
    setPending(null);
    if (res.ok) router.refresh();
    else setError(res.message);
  };
  return (
    <div className="text-right">
      <div className="flex flex-wrap justify-end gap-2">
        <button type="button" onClick={() => stop()} disabled={pending !== null} className={`${buttonClass} bg-ink-800 text-zinc-100 ring-white/15 hover:bg-ink-700`}>
          {pending === "stop" ? "Stopping…" : "Stop"}
        </button>
        <button
          type="button"
          onClick={() => winner && stop(winner)}
          disabled={pending !== null || winner === null}
          title={winner === null ? "No arm is significantly better yet" : undefined}
          className={`${buttonClass} bg-accent text-black ring-accent/40`}
        >
          {pending === "promote" ? "Promoting…" : winner === null ? "No winner yet" : `Stop and promote arm ${winner} (v${winnerVersion})`}
        </button>
      </div>
      {error && (
        <p role="alert" className="mt-1 text-xs text-red-300">
          {error}
        </p>
      )}
    </div>
  );
}
