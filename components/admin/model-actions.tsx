"use client";

import { useRouter } from "next/navigation";
import { postSwitch } from "./admin-fetch";
import { ConfirmButton } from "./confirm-button";

export const adminButtonShape =
  "whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-semibold ring-1 transition disabled:cursor-not-allowed disabled:opacity-50";

/** Promote version `versionId` (no body), then show the new state. */
export function promoteVersion(versionId: number, refresh: () => void) {
  return postSwitch(`/api/admin/models/${versionId}/promote`, undefined, refresh);
}

/**
 * Roll back to `target`, the version the button and its question named: the API refuses (409)
 * when a rollback would now switch to another version (another tab or admin switched since this
 * page was drawn), instead of serving a version the admin never saw named.
 */
export function rollbackTo(target: number, refresh: () => void) {
  return postSwitch("/api/admin/models/rollback", { to: target }, refresh);
}

/**
 * Make this version the serving one (asks first: every user's recommendations change). A serving
 * version has no Promote button, so focus then goes to `focusWhenDone` (the row's version and status).
 */
export function PromoteButton({ versionId, focusWhenDone }: { versionId: number; focusWhenDone?: string }) {
  const router = useRouter();
  const promote = () => promoteVersion(versionId, () => router.refresh());
  return (
    <ConfirmButton
      label={`Promote v${versionId}`}
      question={`Serve v${versionId} to every user?`}
      confirmLabel={`Yes, promote v${versionId}`}
      pendingLabel="Promoting…"
      action={promote}
      shape={adminButtonShape}
      className="text-zinc-100 ring-white/15 hover:bg-ink-700"
      align="left"
      focusWhenDone={focusWhenDone}
    />
  );
}

/**
 * Serve the previous production version again; disabled (with the reason) when there is none.
 * Once it worked, focus goes to the row of the version now serving (`model-v<id>` in the models
 * table), like Promote: the refreshed button is often disabled ("Nothing to roll back to"), and
 * focus on it fell to <body>.
 */
export function RollbackButton({ target, unavailable }: { target: number | null; unavailable?: string | null }) {
  const router = useRouter();
  const rollback = async () => (target === null ? null : rollbackTo(target, () => router.refresh()));
  return (
    <ConfirmButton
      label={target === null ? "Nothing to roll back to" : `Roll back to v${target}`}
      question={`Serve v${target} again, to every user?`}
      confirmLabel={`Yes, roll back to v${target}`}
      pendingLabel="Rolling back…"
      action={rollback}
      disabled={target === null}
      title={target === null ? (unavailable ?? "No earlier production version still has its cache") : undefined}
      shape={adminButtonShape}
      className="bg-ink-800 text-zinc-100 ring-white/15 hover:bg-ink-700"
      focusWhenDone={target === null ? undefined : `model-v${target}`}
    />
  );
}
