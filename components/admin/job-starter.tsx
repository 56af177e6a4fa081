"use client";

import { useRouter } from "next/navigation";
import { cloneElement, useState, type FormEvent, type ReactElement, type ReactNode } from "react";
import { fieldSentence } from "@/lib/validation/sentence";
import { adminFetch } from "./admin-fetch";

type Kind = "crawl" | "simulate" | "train";
type Fields = Record<string, string[]>;

const input =
  "mt-1 block w-full rounded-md bg-ink-800 px-3 py-2 text-sm text-zinc-100 ring-1 ring-white/10 focus:outline-none focus:ring-2 focus:ring-accent aria-[invalid=true]:ring-red-400";

/** Why the last start was refused: the API's message, and the job a conflict names. */
export type Refusal = { message: string; jobId?: number };

/**
 * The form-level message for a refused start: none when every field error is shown next to its
 * field (the generic "Invalid … parameters" would only repeat them) or when the job a conflict
 * names ("A train job is already queued (job #4)") has since finished; otherwise the message,
 * with any field errors that have no field of their own.
 */
export function startFormMessage(refusal: Refusal | null, fields: Fields, placed: readonly string[], finishedJobIds: readonly number[]): string | null {
  if (!refusal) return null;
  if (refusal.jobId !== undefined && finishedJobIds.includes(refusal.jobId)) return null;
  const fieldErrors = Object.entries(fields);
  if (fieldErrors.length === 0) return refusal.message;
  const unplaced = fieldErrors.filter(([key]) => !placed.includes(key));
  if (unplaced.length === 0) return null;
  return [refusal.message, ...unplaced.map(([key, messages]) => `${key}: ${messages.join(" ")}`)].join(" ");
}

/**
 * The number fields left empty, as field errors ("is required"), checked before sending: the API
 * would read Number("") as 0 ("must be at least 1") or, for a field with a default (users, seed),
 * start the job with the default instead. `numberFields`: the form's name → the field's key.
 */
export function emptyNumberFields(form: { get(name: string): unknown }, numberFields: Record<string, string>): Fields {
  const empty = Object.entries(numberFields).filter(([name]) => String(form.get(name) ?? "").trim() === "");
  return Object.fromEntries(empty.map(([, key]) => [key, ["is required"]]));
}

/** The crawl form as POST /api/admin/jobs params; "Start over" ticked is `restart` (pages already done are fetched again). */
export function crawlJobParams(form: { get(name: string): unknown }): Record<string, unknown> {
  return {
    pages: { from: Number(form.get("from")), to: Number(form.get("to")) },
    region: String(form.get("region")),
    language: String(form.get("language")),
    restart: form.get("restart") === "on",
  };
}

/** `fields` without `key`'s errors: a field's error goes once the field is edited. */
export function withoutField(fields: Fields, key: string | undefined): Fields {
  if (key === undefined || !(key in fields)) return fields;
  return Object.fromEntries(Object.entries(fields).filter(([k]) => k !== key));
}

/**
 * The three ways to start a background job: crawl TMDB, simulate users, retrain.
 * `finishedJobIds`: recent jobs no longer queued or running (a 409's message goes away with its job).
 */
export function JobStarter({
  models,
  defaultModel,
  tmdbConfigured,
  finishedJobIds,
}: {
  models: string[];
  defaultModel: string;
  tmdbConfigured: boolean;
  finishedJobIds: number[];
}) {
  return (
    <div className="grid gap-4 lg:grid-cols-3">
      <StartForm
        kind="crawl"
        finishedJobIds={finishedJobIds}
        placed={["pages.from", "pages.to", "region", "language"]}
        title="Crawl TMDB"
        description="Fetch popular movies (with details) into the catalog. Resumes where an earlier crawl stopped: pages already done are skipped unless you start over."
        unavailable={tmdbConfigured ? undefined : "Crawling needs a TMDB key: set TMDB_API_KEY on the server and restart the server."}
        button="Start crawl"
        fieldNames={{ from: "pages.from", to: "pages.to", region: "region", language: "language" }}
        numberFields={{ from: "pages.from", to: "pages.to" }}
        toParams={crawlJobParams}
      >
        {(errors) => (
          <>
            <div className="grid grid-cols-2 gap-2">
              <Field label="From page" id="crawl-from" errors={errors["pages.from"]}>
                <input id="crawl-from" name="from" type="number" min={1} max={500} defaultValue={1} required className={input} />
              </Field>
              <Field label="To page" id="crawl-to" errors={errors["pages.to"]}>
                <input id="crawl-to" name="to" type="number" min={1} max={500} defaultValue={5} required className={input} />
              </Field>
            </div>
            <div className="grid grid-cols-2 gap-2">
              <Field label="Region" id="crawl-region" errors={errors.region}>
                <input id="crawl-region" name="region" defaultValue="KR" maxLength={2} required className={input} />
              </Field>
              <Field label="Language" id="crawl-language" errors={errors.language}>
                <input id="crawl-language" name="language" defaultValue="ko-KR" required className={input} />
              </Field>
            </div>
            <label className="flex items-center gap-2 text-sm text-zinc-300">
              <input type="checkbox" name="restart" className="accent-[#f5c518]" />
              Start over: fetch pages already done again
            </label>
          </>
        )}
      </StartForm>

      <StartForm
        kind="simulate"
        finishedJobIds={finishedJobIds}
        placed={["users", "seed"]}
        title="Simulate users"
        description="Generate users with planted tastes and their watches and ratings. Re-running updates the same users."
        button="Start simulation"
        fieldNames={{ users: "users", seed: "seed" }}
        numberFields={{ users: "users", seed: "seed" }}
        toParams={(f) => ({ users: Number(f.get("users")), seed: Number(f.get("seed")) })}
      >
        {(errors) => (
          <div className="grid grid-cols-2 gap-2">
            <Field label="Users" id="simulate-users" errors={errors.users}>
              <input id="simulate-users" name="users" type="number" min={1} max={100000} defaultValue={1000} required className={input} />
            </Field>
            <Field label="Seed" id="simulate-seed" errors={errors.seed}>
              <input id="simulate-seed" name="seed" type="number" min={0} defaultValue={42} required className={input} />
            </Field>
          </div>
        )}
      </StartForm>

      <StartForm
        kind="train"
        finishedJobIds={finishedJobIds}
        placed={["model"]}
        title="Retrain"
        description="Train on every interaction, validate, write a new model version and promote it if it passes the gate."
        button="Start retraining"
        fieldNames={{ model: "model" }}
        toParams={(f) => ({ model: String(f.get("model")), force: f.get("force") === "on" })}
      >
        {(errors) => (
          <>
            <Field label="Model" id="train-model" errors={errors.model}>
              <select id="train-model" name="model" defaultValue={defaultModel} className={input}>
                {models.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </Field>
            <label className="flex items-center gap-2 text-sm text-zinc-300">
              <input type="checkbox" name="force" className="accent-[#f5c518]" />
              Promote even if it scores worse than the serving version
            </label>
          </>
        )}
      </StartForm>
    </div>
  );
}

function StartForm({
  kind,
  title,
  description,
  button,
  placed,
  fieldNames,
  numberFields = {},
  unavailable,
  finishedJobIds,
  toParams,
  children,
}: {
  kind: Kind;
  title: string;
  description: string;
  button: string;
  /** The field-error keys `children` shows next to a field. */
  placed: string[];
  /** Each control's name → its field-error key (editing a field clears its error). */
  fieldNames: Record<string, string>;
  /** The number controls (name → field-error key), which must not be left empty. */
  numberFields?: Record<string, string>;
  /** Why this job cannot start on this server: the button is aria-disabled and this is shown. */
  unavailable?: string;
  finishedJobIds: number[];
  toParams: (form: FormData) => Record<string, unknown>;
  children: (errors: Fields) => ReactNode;
}) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [fields, setFields] = useState<Fields>({});
  const message = startFormMessage(refusal, fields, placed, finishedJobIds);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // aria-disabled rather than disabled: disabling the focused button dropped focus to <body>
    if (pending || unavailable) return;
    const form = new FormData(event.currentTarget);
    const empty = emptyNumberFields(form, numberFields);
    setRefusal(null);
    setFields(empty);
    if (Object.keys(empty).length > 0) return;
    setPending(true);
    const res = await adminFetch<{ job: { id: number } }>("/api/admin/jobs", { method: "POST", body: { kind, params: toParams(form) } });
    setPending(false);
    if (!res.ok) {
      setRefusal({ message: res.message, jobId: res.jobId });
      // "params.pages.to" → "pages.to": the form's fields are the params
      setFields(Object.fromEntries(Object.entries(res.fields ?? {}).map(([k, v]) => [k.replace(/^params\./, ""), v])));
      // a conflict names a job this page may not show yet (started elsewhere): fetch it, so its
      // progress shows and the page learns when it finishes
      if (res.jobId !== undefined) router.refresh();
      return;
    }
    router.refresh();
  }

  return (
    <form
      onSubmit={submit}
      onChange={(event) => {
        setRefusal(null);
        setFields((f) => withoutField(f, fieldNames[(event.target as Element).getAttribute("name") ?? ""]));
      }}
      noValidate
      className="flex flex-col gap-3 rounded-lg bg-ink-900 p-4 ring-1 ring-white/5"
      aria-labelledby={`start-${kind}`}
    >
      <div>
        <h3 id={`start-${kind}`} className="font-bold">
          {title}
        </h3>
        <p className="text-xs text-zinc-400">{description}</p>
      </div>
      {unavailable && (
        <p id={`start-${kind}-unavailable`} className="rounded-md bg-amber-500/10 px-3 py-2 text-sm text-amber-200" data-testid="job-unavailable">
          {unavailable}
        </p>
      )}
      {children(fields)}
      {message && (
        <p role="alert" className="rounded-md bg-red-500/10 px-3 py-2 text-sm text-red-200">
          {message}
        </p>
      )}
      <button
        type="submit"
        aria-disabled={pending || unavailable ? true : undefined}
        aria-describedby={unavailable ? `start-${kind}-unavailable` : undefined}
        className={`mt-auto rounded-md bg-accent px-4 py-2 text-sm font-semibold text-black transition aria-disabled:opacity-60 ${
          unavailable ? "cursor-not-allowed" : pending ? "cursor-wait" : "hover:brightness-110"
        }`}
      >
        {pending ? "Starting…" : button}
      </button>
    </form>
  );
}

/** A labelled control whose field errors are tied to it (aria-invalid, aria-describedby). */
function Field({ label, id, errors, children }: { label: string; id: string; errors?: string[]; children: ReactElement<{ "aria-invalid"?: boolean; "aria-describedby"?: string }> }) {
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-semibold text-zinc-300">
        {label}
      </label>
      {cloneElement(children, { "aria-invalid": errorId ? true : undefined, "aria-describedby": errorId })}
      {errorId ? (
        <p id={errorId} className="mt-1 text-xs text-red-300">
          {fieldSentence(label, errors!)}
        </p>
      ) : null}
    </div>
  );
}
