"use client";

import { useRouter } from "next/navigation";
import { useEffect, useTransition } from "react";

/** How often a live report is read again while its page is visible. */
export const LIVE_REFRESH_MS = 15_000;

/**
 * Keeps a server-rendered report current: while the page is visible it asks the server for the
 * page's data again every LIVE_REFRESH_MS (and at once when the page is shown again), and says
 * when the numbers were read, with a button to read them now. Client state (an open confirmation,
 * a half-filled form) is kept across each refresh. `readAt`: when the server read them (ms).
 */
export function LiveRefresh({ readAt, what }: { readAt: number; what: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    let timer: ReturnType<typeof setInterval> | undefined;
    const refresh = () => startTransition(() => router.refresh());
    const follow = () => {
      clearInterval(timer);
      if (document.visibilityState !== "visible") return;
      timer = setInterval(refresh, LIVE_REFRESH_MS);
    };
    const onVisibility = () => {
      if (document.visibilityState === "visible") refresh();
      follow();
    };
    follow();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [router]);

  return (
    <p className="mb-3 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-400" data-testid="live-refresh">
      <span>
        {what} as of <time dateTime={new Date(readAt).toISOString()}>{new Date(readAt).toISOString().slice(11, 19)} UTC</time>; read again every{" "}
        {LIVE_REFRESH_MS / 1000} s while this page is open.
      </span>
      <button
        type="button"
        onClick={() => startTransition(() => router.refresh())}
        disabled={pending}
        className="rounded px-2 py-0.5 font-semibold text-accent ring-1 ring-white/10 hover:bg-ink-800 disabled:cursor-wait disabled:opacity-70"
      >
        {pending ? "Refreshing…" : "Refresh now"}
      </button>
    </p>
  );
}
