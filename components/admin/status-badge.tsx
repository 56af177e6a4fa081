const tones: Record<string, string> = {
  queued: "bg-zinc-700 text-zinc-100",
  running: "bg-sky-500/20 text-sky-200 ring-1 ring-sky-400/40",
  succeeded: "bg-emerald-500/15 text-emerald-200 ring-1 ring-emerald-400/30",
  failed: "bg-red-500/15 text-red-200 ring-1 ring-red-400/30",
  cancelled: "bg-amber-500/15 text-amber-200 ring-1 ring-amber-400/30",
  ready: "bg-emerald-500/15 text-emerald-200 ring-1 ring-emerald-400/30",
  training: "bg-sky-500/20 text-sky-200 ring-1 ring-sky-400/40",
  production: "bg-accent/20 text-accent ring-1 ring-accent/40",
  candidate: "bg-zinc-700 text-zinc-100",
  archived: "bg-ink-700 text-zinc-300",
  serving: "bg-accent text-black",
};

/** A small status pill for job statuses, model statuses and stages. */
export function StatusBadge({ status, label }: { status: string; label?: string }) {
  return (
    <span className={`inline-block whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-semibold ${tones[status] ?? "bg-zinc-700 text-zinc-100"}`}>
      {label ?? status}
    </span>
  );
}
