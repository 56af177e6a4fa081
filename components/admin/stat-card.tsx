import { formatNumber } from "./format";

export function StatCard({ label, value, detail, testId }: { label: string; value: number; detail?: string; testId?: string }) {
  return (
    <div className="rounded-lg bg-ink-900 p-4 ring-1 ring-white/5" data-testid={testId}>
      <p className="text-sm text-zinc-400">{label}</p>
      <p className="mt-1 text-3xl font-extrabold tracking-tight">{formatNumber(value)}</p>
      {detail && <p className="mt-1 text-xs text-zinc-400">{detail}</p>}
    </div>
  );
}
