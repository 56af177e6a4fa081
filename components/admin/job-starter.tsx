"use client";

import { useRouter } from "next/navigation";
import { cloneElement, useState, type FormEvent, type ReactElement, type ReactNode } from "react";
import { adminFetch } from "./admin-fetch";

type Kind = "crawl" | "simulate" | "train";
type Fields = Record<string, string[]>;

const input =
  "mt-1 block w-full rounded-md bg-ink-800 px-3 py-2 text-sm text-zinc-100 ring-1 ring-white/10 focus:outline-none focus:ring-2 focus:ring-accent aria-[invalid=true]:ring-red-400";

/** The three ways to start a background job: crawl TMDB, simulate users, retrain. */
export function JobStarter({ models, defaultModel, tmdbConfigured }: { models: string[]; defaultModel: string; tmdbConfigured: boolean }) {
  return (
    <div className="grid gap-4 lg:grid-cols-3">
      <StartForm
        kind="crawl"
        title="Crawl TMDB"
        description={
          tmdbConfigured
            ? "Fetch popular movies (with details) into the catalog. Resumes where an earlier crawl stopped."
            : "Needs TMDB_API_KEY on the server; without it the job fails at once."
        }
        button="Start crawl"
        toParams={(f) => ({
          pages: { from: Number(f.get("from")), to: Number(f.get("to")) },
          region: String(f.get("region")),
          language: String(f.get("language")),
        })}
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
          </>
        )}
      </StartForm>

      <StartForm
        kind="simulate"
        title="Simulate users"
        description="Generate users with planted tastes and their watches and ratings. Re-running updates the same users."
        button="Start simulation"
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
        title="Retrain"
        description="Train on every interaction, validate, write a new model version and promote it if it passes the gate."
        button="Start retraining"
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
  toParams,
  children,
}: {
  kind: Kind;
  title: string;
  description: string;
  button: string;
  toParams: (form: FormData) => Record<string, unknown>;
  children: (errors: Fields) => ReactNode;
}) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Fields>({});

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    setFields({});
    const res = await adminFetch<{ job: { id: number } }>("/api/admin/jobs", { method: "POST", body: { kind, params: toParams(new FormData(event.currentTarget)) } });
    setPending(false);
    if (!res.ok) {
      setError(res.message);
      // "params.pages.to" → "pages.to": the form's fields are the params
      setFields(Object.fromEntries(Object.entries(res.fields ?? {}).map(([k, v]) => [k.replace(/^params\./, ""), v])));
      return;
    }
    router.refresh();
  }

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-3 rounded-lg bg-ink-900 p-4 ring-1 ring-white/5" aria-labelledby={`start-${kind}`}>
      <div>
        <h3 id={`start-${kind}`} className="font-bold">
          {title}
        </h3>
        <p className="text-xs text-zinc-400">{description}</p>
      </div>
      {children(fields)}
      {error && (
        <p role="alert" className="rounded-md bg-red-500/10 px-3 py-2 text-sm text-red-200">
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={pending}
        className="mt-auto rounded-md bg-accent px-4 py-2 text-sm font-semibold text-black transition hover:brightness-110 disabled:cursor-wait disabled:opacity-70"
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
          {errors!.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
