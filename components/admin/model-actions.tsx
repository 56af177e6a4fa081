"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { adminFetch } from "./admin-fetch";

function useServingSwitch(url: string) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setPending(true);
    setError(null);
    const res = await adminFetch(url, { method: "POST" });
    setPending(false);
    if (res.ok) router.refresh();
    else setError(res.message);
  };
  return { pending, error, run };
}

const buttonClass =
  "whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-semibold ring-1 transition disabled:cursor-not-allowed disabled:opacity-50";

/** Make this version the serving one. */
export function PromoteButton({ versionId }: { versionId: number }) {
  const { pending, error, run } = useServingSwitch(`/api/admin/models/${versionId}/promote`);
  return (
    <div>
      <button type="button" onClick={run} disabled={pending} className={`${buttonClass} text-zinc-100 ring-white/15 hover:bg-ink-700`}>
        {pending ? "Promoting…" : `Promote v${versionId}`}
      </button>
      {error && (
        <p role="alert" className="mt-1 max-w-56 text-xs text-red-300">
          {error}
        </p>
      )}
    </div>
  );
}

/** Serve the previous production version again; disabled (with the reason) when there is none. */
export function RollbackButton({ target }: { target: number | null }) {
  const { pending, error, run } = useServingSwitch("/api/admin/models/rollback");
  return (
    <div className="text-right">
      <button
        type="button"
        onClick={run}
        disabled={pending || target === null}
        title={target === null ? "No earlier production version still has its cache" : undefined}
        className={`${buttonClass} bg-ink-800 text-zinc-100 ring-white/15 hover:bg-ink-700`}
      >
        {pending ? "Rolling back…" : target === null ? "Nothing to roll back to" : `Roll back to v${target}`}
      </button>
      {error && (
        <p role="alert" className="mt-1 text-xs text-red-300">
          {error}
        </p>
      )}
    </div>
  );
}
