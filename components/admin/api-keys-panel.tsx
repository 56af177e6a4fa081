"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import type { PublicApiKey } from "@/lib/apikeys/schemas";
import { fieldSentence } from "@/lib/validation/sentence";
import { adminFetch } from "./admin-fetch";
import { ConfirmButton } from "./confirm-button";
import { formatDateTime } from "./format";
import { EmptyState } from "./section";
import { StatusBadge } from "./status-badge";

type Created = { id: number; name: string; key: string };

/** The just-created key to show, until it is dismissed or revoked (a revoked key is no use to copy). */
export function shownCreatedKey(created: Created | null, keys: readonly Pick<PublicApiKey, "id" | "revokedAt">[]): Created | null {
  if (!created) return null;
  return keys.some((k) => k.id === created.id && k.revokedAt) ? null : created;
}

/**
 * Copy `key` to the clipboard: "copied", or "select" when the page cannot (no `navigator.clipboard`
 * outside a secure context, e.g. http on a LAN address; or the browser refused), and the admin
 * must copy the selected text themselves.
 */
export async function copyKey(key: string, clipboard: Pick<Clipboard, "writeText"> | undefined): Promise<"copied" | "select"> {
  if (!clipboard) return "select";
  try {
    await clipboard.writeText(key);
    return "copied";
  } catch {
    return "select";
  }
}

/** Create (the key is shown once), list and revoke API keys, through /api/admin/api-keys. */
export function ApiKeysPanel({ keys }: { keys: PublicApiKey[] }) {
  const router = useRouter();
  const [createdKey, setCreated] = useState<Created | null>(null);
  const created = shownCreatedKey(createdKey, keys);
  const [copied, setCopied] = useState<"copied" | "select" | null>(null);
  const keyText = useRef<HTMLElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function copy(key: string) {
    const outcome = await copyKey(key, navigator.clipboard);
    if (outcome === "select" && keyText.current) {
      const range = document.createRange();
      range.selectNodeContents(keyText.current);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
    }
    setCopied(outcome);
  }

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // aria-disabled rather than disabled while pending: disabling the focused button dropped focus to <body>
    if (pending) return;
    const form = event.currentTarget;
    const name = String(new FormData(form).get("name") ?? "");
    setPending(true);
    setError(null);
    const res = await adminFetch<{ key: string; apiKey: PublicApiKey }>("/api/admin/api-keys", { method: "POST", body: { name } });
    setPending(false);
    if (!res.ok) {
      setError(res.fields?.name ? fieldSentence("The name", res.fields.name) : res.message);
      return;
    }
    setCreated({ id: res.data.apiKey.id, name: res.data.apiKey.name, key: res.data.key });
    setCopied(null);
    form.reset();
    router.refresh();
  }

  return (
    <div className="space-y-6">
      <form onSubmit={create} noValidate className="flex flex-wrap items-end gap-3 rounded-lg bg-ink-900 p-4 ring-1 ring-white/5">
        <div className="min-w-64 flex-1">
          <label htmlFor="api-key-name" className="block text-sm font-semibold text-zinc-200">
            New key name
          </label>
          <input
            id="api-key-name"
            name="name"
            maxLength={80}
            placeholder="e.g. Partner site"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "api-key-error" : undefined}
            className="mt-1 block w-full rounded-md bg-ink-800 px-3 py-2 text-sm text-zinc-100 ring-1 ring-white/10 focus:outline-none focus:ring-2 focus:ring-accent"
          />
        </div>
        <button
          type="submit"
          aria-disabled={pending || undefined}
          className="rounded-md bg-accent px-4 py-2 text-sm font-semibold text-black hover:brightness-110 aria-disabled:cursor-wait aria-disabled:opacity-70"
        >
          {pending ? "Creating…" : "Create key"}
        </button>
        {error && (
          <p id="api-key-error" role="alert" className="w-full text-sm text-red-300">
            {error}
          </p>
        )}
      </form>

      {created && (
        <div role="status" className="rounded-lg bg-accent/10 p-4 ring-1 ring-accent/40" data-testid="created-api-key">
          <p className="text-sm font-semibold">
            Key &ldquo;{created.name}&rdquo; created. Copy it now: it is not shown again.
          </p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code ref={keyText} className="break-all rounded bg-ink-950 px-2 py-1 text-sm" data-testid="created-api-key-value">
              {created.key}
            </code>
            <button
              type="button"
              onClick={() => void copy(created.key)}
              className="rounded-md px-2 py-1 text-xs font-semibold ring-1 ring-white/15 hover:bg-ink-700"
            >
              Copy
            </button>
            <button type="button" onClick={() => setCreated(null)} className="rounded-md px-2 py-1 text-xs text-zinc-400 hover:text-zinc-100">
              Done
            </button>
            {/* inside the banner's polite live region, so it is announced */}
            <span className="text-xs text-zinc-300" data-testid="copy-feedback">
              {copied === "copied" ? "Copied" : copied === "select" ? "Select and copy the key (Ctrl+C)" : ""}
            </span>
          </div>
        </div>
      )}

      {keys.length === 0 ? (
        <EmptyState>No API keys yet. Create one for each site or service that calls the API.</EmptyState>
      ) : (
        <div className="relative overflow-x-auto rounded-lg ring-1 ring-white/5">
          <table className="w-full text-left text-sm" data-testid="api-keys-table">
            <thead className="bg-ink-900 text-xs uppercase tracking-wide text-zinc-400">
              <tr>
                <th scope="col" className="px-3 py-2">Name</th>
                <th scope="col" className="px-3 py-2">Key</th>
                <th scope="col" className="px-3 py-2">Created</th>
                <th scope="col" className="px-3 py-2">Last used</th>
                <th scope="col" className="px-3 py-2">Status</th>
                <th scope="col" className="px-3 py-2"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-white/5">
              {keys.map((k) => (
                <tr key={k.id} data-testid="api-key-row">
                  <th scope="row" className="px-3 py-2 font-semibold">{k.name}</th>
                  <td className="px-3 py-2 font-mono text-xs text-zinc-300">{k.prefix}…</td>
                  <td className="px-3 py-2 text-xs text-zinc-400">
                    {formatDateTime(k.createdAt)}
                    {k.createdByEmail && <> by {k.createdByEmail}</>}
                  </td>
                  <td className="px-3 py-2 text-xs text-zinc-400">{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : "never"}</td>
                  {/* focusable from script: where focus goes once the key is revoked (its button goes away) */}
                  <td id={`api-key-${k.id}-status`} tabIndex={-1} className="px-3 py-2">
                    {k.revokedAt ? <StatusBadge status="cancelled" label={`revoked ${formatDateTime(k.revokedAt)}`} /> : <StatusBadge status="succeeded" label="active" />}
                  </td>
                  <td className="px-3 py-2 text-right">{!k.revokedAt && <RevokeButton id={k.id} name={k.name} prefix={k.prefix} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** Revoking asks first, naming the key by its name and prefix (names may repeat): a revoked key cannot be restored. */
function RevokeButton({ id, name, prefix }: { id: number; name: string; prefix: string }) {
  const router = useRouter();
  const revoke = async () => {
    const res = await adminFetch(`/api/admin/api-keys/${id}`, { method: "DELETE" });
    if (!res.ok) return res.message;
    router.refresh();
    return null;
  };
  return (
    <ConfirmButton
      label="Revoke"
      question={`Revoke ${name} (${prefix}…)? It cannot be restored.`}
      confirmLabel="Yes, revoke it"
      pendingLabel="Revoking…"
      action={revoke}
      focusWhenDone={`api-key-${id}-status`}
      shape="whitespace-nowrap rounded-md px-3 py-1 text-xs font-semibold ring-1 disabled:opacity-70"
      className="text-red-200 ring-red-400/30 hover:bg-red-500/10"
      tone="danger"
    />
  );
}
