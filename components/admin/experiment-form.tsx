"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { fieldSentence } from "@/lib/validation/sentence";
import { adminFetch } from "./admin-fetch";
import { formatMetric } from "./format";

type Candidate = { id: number; algorithm: string; ndcg: number | null; serving: boolean };

const inputClass = "rounded-md bg-ink-800 px-2 py-1.5 text-sm ring-1 ring-white/10 focus:outline-none focus:ring-accent aria-[invalid=true]:ring-red-400";
const ARM_LETTERS = "ABCD";

/** A refused start, in sentences that name what to fix: by the name field, by an arm, under the arms, or for the form. */
export type ExperimentErrors = { name?: string; arms?: string; arm: Partial<Record<number, string>>; form?: string };

// The arms' whole-list rules, in the form's words (the API's are written for a JSON body)
const ARMS_SENTENCES: Record<string, string> = {
  "must have weights that add up to 100 (percent of users)": "The traffic shares must add up to 100%.",
  "must each serve a different version": "Each arm must serve a different version.",
};
const ARM_FIELDS: Record<string, string> = { weight: "traffic share", versionId: "version" };
const OTHER_FIELDS: Record<string, string> = { primaryMetric: "The metric that decides the winner", "(root)": "The request" };

/**
 * The API's refusal of POST /api/admin/experiments as the form shows it: field messages
 * ("name": ["must not be empty"]) become sentences naming the field ("The name must not be
 * empty."), as the API-key form's do; the generic "Invalid request body" is left out when every
 * field error has a place. A refusal without field errors (one is already running) is said as is.
 */
/**
 * The form without arm `i`: the arms below it move up a row, so errors kept by row would land on
 * the wrong arm; the arms' errors go (the next start says again what is still wrong).
 */
export function withoutArm<T>(arms: T[], errors: ExperimentErrors, i: number): { arms: T[]; errors: ExperimentErrors } {
  return { arms: arms.filter((_, j) => j !== i), errors: { ...errors, arms: undefined, arm: {} } };
}

export function experimentErrors(message: string, fields: Record<string, string[]> | undefined): ExperimentErrors {
  const out: ExperimentErrors = { arm: {} };
  const rest: string[] = [];
  for (const [key, messages] of Object.entries(fields ?? {})) {
    const arm = /^arms\.(\d+)\.(\w+)$/.exec(key);
    if (key === "name") out.name = fieldSentence("The name", messages);
    else if (key === "arms") {
      const known = messages.filter((m) => ARMS_SENTENCES[m]).map((m) => ARMS_SENTENCES[m]);
      const other = messages.filter((m) => !ARMS_SENTENCES[m]);
      out.arms = [...known, ...(other.length ? [fieldSentence("An experiment", other)] : [])].join(" ");
    } else if (arm && Number(arm[1]) < ARM_LETTERS.length) {
      const i = Number(arm[1]);
      const sentence = fieldSentence(`Arm ${ARM_LETTERS[i]}'s ${ARM_FIELDS[arm[2]] ?? arm[2]}`, messages);
      out.arm[i] = out.arm[i] ? `${out.arm[i]} ${sentence}` : sentence;
    } else rest.push(fieldSentence(OTHER_FIELDS[key] ?? `The ${key}`, messages));
  }
  if (!fields || Object.keys(fields).length === 0) out.form = message;
  else if (rest.length) out.form = rest.join(" ");
  return out;
}

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
  const [errors, setErrors] = useState<ExperimentErrors>({ arm: {} });
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
    // aria-disabled rather than disabled while pending, so focus stays on the button
    if (pending || total !== 100) return;
    setPending(true);
    setErrors({ arm: {} });
    const res = await adminFetch("/api/admin/experiments", { method: "POST", body: { name, primaryMetric: metric, arms } });
    setPending(false);
    if (res.ok) {
      started.current = true;
      router.refresh();
    } else setErrors(experimentErrors(res.message, res.fields));
  };
  const clear = (key: "name" | "arms" | number) =>
    setErrors((e) => (typeof key === "number" ? { ...e, arms: undefined, arm: { ...e.arm, [key]: undefined } } : { ...e, [key]: undefined }));

  return (
    <form onSubmit={submit} noValidate className="space-y-3 rounded-lg bg-ink-900 p-4 ring-1 ring-white/5" data-testid="experiment-form">
      <div className="flex flex-wrap gap-3">
        <div className="flex flex-col gap-1">
          <label className="flex flex-col gap-1 text-xs text-zinc-400">
            Name
            <input
              required
              maxLength={80}
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                clear("name");
              }}
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={errors.name ? "experiment-name-error" : undefined}
              className={inputClass}
              placeholder="EASE vs item-knn"
            />
          </label>
          {errors.name && (
            <span id="experiment-name-error" className="text-xs text-red-300">
              {errors.name}
            </span>
          )}
        </div>
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
            <span className="w-32 shrink-0 whitespace-nowrap font-semibold">{`Arm ${"ABCD"[i]}`}{i === 0 && <span className="ml-1 text-xs text-zinc-400">(control)</span>}</span>
            <select
              aria-label={`Arm ${"ABCD"[i]} version`}
              value={arm.versionId}
              onChange={(e) => {
                setArm(i, { versionId: Number(e.target.value) });
                clear(i);
              }}
              aria-invalid={errors.arm[i] ? true : undefined}
              aria-describedby={errors.arm[i] ? `experiment-arm-${i}-error` : undefined}
              className={inputClass}
            >
              {candidates.map((c) => (
                <option key={c.id} value={c.id}>
                  v{c.id} {c.algorithm}
                  {c.ndcg !== null ? ` (nDCG@10 ${formatMetric(c.ndcg)})` : ""}
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
              onChange={(e) => {
                setArm(i, { weight: Number(e.target.value) });
                clear(i);
              }}
              aria-invalid={errors.arm[i] ? true : undefined}
              aria-describedby={errors.arm[i] ? `experiment-arm-${i}-error` : undefined}
              className={`${inputClass} w-20`}
            />
            <span className="text-xs text-zinc-400">% of users</span>
            {arms.length > 2 && (
              <button
                type="button"
                onClick={() => {
                  const next = withoutArm(arms, errors, i);
                  setArms(next.arms);
                  setErrors(next.errors);
                }}
                className="text-xs text-zinc-400 hover:text-zinc-100"
              >
                remove
              </button>
            )}
            {errors.arm[i] && (
              <span id={`experiment-arm-${i}-error`} className="w-full text-xs text-red-300">
                {errors.arm[i]}
              </span>
            )}
          </li>
        ))}
      </ul>
      {errors.arms && (
        <p id="experiment-arms-error" className="text-sm text-red-300">
          {errors.arms}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-3">
        {arms.length < 4 && arms.length < candidates.length && (
          <button type="button" onClick={() => setArms([...arms, { versionId: candidates.find((c) => !arms.some((a) => a.versionId === c.id))!.id, weight: 0 }])} className="text-sm text-zinc-300 hover:text-zinc-100">
            + Add arm
          </button>
        )}
        <span className={`text-xs ${total === 100 ? "text-zinc-400" : "text-amber-300"}`}>Split adds up to {total}%{total === 100 ? "" : " (must be 100%)"}</span>
        <button
          type="submit"
          disabled={total !== 100}
          aria-disabled={pending || undefined}
          className="ml-auto rounded-md bg-accent px-3 py-1.5 text-sm font-semibold text-black disabled:opacity-50 aria-disabled:cursor-wait aria-disabled:opacity-70"
        >
          {pending ? "Starting…" : "Start experiment"}
        </button>
      </div>
      {(errors.name || errors.arms || Object.values(errors.arm).some(Boolean) || errors.form) && (
        // one announcement for the whole refusal; each sentence also sits by what it is about
        <p role="alert" className={errors.form ? "text-sm text-red-300" : "sr-only"} data-testid="experiment-form-error">
          {errors.form ?? [errors.name, ...Object.values(errors.arm), errors.arms].filter(Boolean).join(" ")}
        </p>
      )}
    </form>
  );
}
