"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { adminFetch } from "./admin-fetch";

type Candidate = { id: number; algorithm: string; ndcg: number | null; serving: boolean };

const inputClass = "rounded-md bg-ink-800 px-2 py-1.5 text-sm ring-1 ring-white/10 focus:outline-none focus:ring-accent";

/** Start an experiment: a name, the metric that decides, and 2–4 arms (ready versions with a traffic share). */
export function ExperimentForm({ candidates, servingVersion }: { candidates: Candidate[]; servingVersion: number | null }) {
  const router = useRouter();
  const control = candidates.find((c) => c.serving) ?? candidates[0];
  const challenger = candidates.find((c) => c.id !== control?.id);
  const [name, setName] = useState("");
  const [metric, setMetric] = useState<"watch_rate" | "ctr">("watch_rate");
  const [arms, setArms] = useState([
    { versionId: control?.id ?? 0, weight: 50 },
    { versionId: challenger?.id ?? 0, weight: 50 },
  ]);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);

  // A started experiment replaces this form (one runs at a time), taking the focused button away:
  // focus goes to the new experiment's verdict line, as after Stop, instead of falling to <body>.
  // The cleanup runs in the commit that shows the refreshed page, so the verdict is there.
  useEffect(
    () => () => {
      if (started.current) document.getElementById("experiment-verdict")?.focus();
    },
    [],
  );

  if (candidates.length < 2) {
    return <p className="text-sm text-zinc-400">An experiment needs two ready model versions with their cache. Train another version on the Jobs page (e.g. a different algorithm).</p>;
  }
  const total = arms.reduce((s, a) => s + a.weight, 0);
  const setArm = (i: number, patch: Partial<(typeof arms)[number]>) => setArms(arms.map((a, j) => (j === i ? { ...a, ...patch } : a)));

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    const res = await adminFetch("/api/admin/experiments", { method: "POST", body: { name, primaryMetric: metric, arms } });
    setPending(false);
    if (res.ok) {
      started.current = true;
      router.refresh();
    } else setError([res.message, ...Object.entries(res.fields ?? {}).map(([k, v]) => `${k}: ${v.join(", ")}`)].join(" "));
  };

  return (
    <form onSubmit={submit} className="space-y-3 rounded-lg bg-ink-900 p-4 ring-1 ring-white/5" data-testid="experiment-form">
      <div className="flex flex-wrap gap-3">
        <label className="flex flex-col gap-1 text-xs text-zinc-400">
          Name
          <input required maxLength={80} value={name} onChange={(e) => setName(e.target.value)} className={inputClass} placeholder="EASE vs item-knn" />
        </label>
        <label className="flex flex-col gap-1 text-xs text-zinc-400">
          Decides the winner
          <select value={metric} onChange={(e) => setMetric(e.target.value as "watch_rate" | "ctr")} className={inputClass}>
            <option value="watch_rate">Watch rate</option>
            <option value="ctr">Click-through rate</option>
          </select>
        </label>
      </div>
      <ul className="space-y-2">
        {arms.map((arm, i) => (
          <li key={i} className="flex flex-wrap items-center gap-2 text-sm">
            <span className="w-24 font-semibold">{`Arm ${"ABCD"[i]}`}{i === 0 && <span className="ml-1 text-xs text-zinc-400">(control)</span>}</span>
            <select aria-label={`Arm ${"ABCD"[i]} version`} value={arm.versionId} onChange={(e) => setArm(i, { versionId: Number(e.target.value) })} className={inputClass}>
              {candidates.map((c) => (
                <option key={c.id} value={c.id}>
                  v{c.id} {c.algorithm}
                  {c.ndcg !== null ? ` (nDCG@10 ${c.ndcg.toFixed(3)})` : ""}
                  {c.id === servingVersion ? " · serving" : ""}
                </option>
              ))}
            </select>
            <input
              aria-label={`Arm ${"ABCD"[i]} traffic percent`}
              type="number"
              min={1}
              max={99}
              value={arm.weight}
              onChange={(e) => setArm(i, { weight: Number(e.target.value) })}
              className={`${inputClass} w-20`}
            />
            <span className="text-xs text-zinc-400">% of users</span>
            {arms.length > 2 && (
              <button type="button" onClick={() => setArms(arms.filter((_, j) => j !== i))} className="text-xs text-zinc-400 hover:text-zinc-100">
                remove
              </button>
            )}
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap items-center gap-3">
        {arms.length < 4 && arms.length < candidates.length && (
          <button type="button" onClick={() => setArms([...arms, { versionId: candidates.find((c) => !arms.some((a) => a.versionId === c.id))!.id, weight: 0 }])} className="text-sm text-zinc-300 hover:text-zinc-100">
            + Add arm
          </button>
        )}
        <span className={`text-xs ${total === 100 ? "text-zinc-400" : "text-amber-300"}`}>Split adds up to {total}%{total === 100 ? "" : " (must be 100%)"}</span>
        <button type="submit" disabled={pending || total !== 100} className="ml-auto rounded-md bg-accent px-3 py-1.5 text-sm font-semibold text-black disabled:opacity-50">
          {pending ? "Starting…" : "Start experiment"}
        </button>
      </div>
      {error && (
        <p role="alert" className="text-sm text-red-300">
          {error}
        </p>
      )}
    </form>
  );
}
