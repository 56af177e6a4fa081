"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useRef, useSyncExternalStore } from "react";

// Why a serving switch (promote, roll back, stop an experiment) was refused with a conflict. The
// page is refreshed to show the real state, which often takes away the button that was pressed,
// and with it any message shown beside it; so the message lives here, above the page (in the
// admin layout), until it is dismissed, the admin acts again or goes to another page (another query is another page).

let current: { message: string; seq: number } | null = null;
let seq = 0;
const listeners = new Set<() => void>();

/** Show `message` above the admin page (focused, announced), or clear it with null. */
export function showAdminNotice(message: string | null) {
  current = message === null ? null : { message, seq: ++seq };
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function AdminNotice() {
  const notice = useSyncExternalStore(subscribe, () => current, () => null);
  // the page: its path and query (moving between experiments is `?id=`)
  const page = `${usePathname()}?${useSearchParams()?.toString() ?? ""}`;
  const box = useRef<HTMLDivElement>(null);

  // a notice is about the page it was raised on
  useEffect(() => () => showAdminNotice(null), [page]);
  // the prompt whose button was pressed has closed: focus comes here rather than falling to <body>
  useEffect(() => {
    if (notice) box.current?.focus();
  }, [notice]);

  if (!notice) return null;
  const dismiss = () => {
    showAdminNotice(null);
    document.querySelector<HTMLElement>('nav[aria-label="Admin"] [aria-current="page"]')?.focus();
  };
  return (
    <div
      ref={box}
      role="alert"
      tabIndex={-1}
      id="admin-notice"
      data-testid="admin-notice"
      className="mb-6 flex flex-wrap items-start justify-between gap-2 rounded-lg bg-red-500/10 px-4 py-3 text-sm text-red-200 ring-1 ring-red-400/30"
    >
      <p>
        {notice.message} <span className="text-zinc-300">The page now shows the current state.</span>
      </p>
      <button type="button" onClick={dismiss} className="rounded-md px-2 py-0.5 text-xs font-semibold text-zinc-300 ring-1 ring-white/15 hover:bg-ink-700">
        Dismiss
      </button>
    </div>
  );
}
