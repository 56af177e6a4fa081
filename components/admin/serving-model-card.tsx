import Link from "next/link";
import type { ModelVersion } from "@/lib/db/schema";
import { formatCount, formatDateTime, formatDuration, formatMetric, formatParams, metricLabel } from "./format";
import { EmptyState } from "./section";

const SHOWN_METRICS = ["ndcg@10", "precision@10", "recall@10", "map", "coverage"] as const;

/** The version that serves recommendations, with its validation metrics. */
export function ServingModelCard({ version }: { version: ModelVersion | null }) {
  if (!version) {
    return (
      <EmptyState>
        No model serves yet, so visitors get popular picks. <Link href="/admin/jobs" className="text-accent underline">Start a retraining</Link>.
      </EmptyState>
    );
  }
  const snap = version.snapshot as { users?: number; items?: number; interactions?: number };
  return (
    <div className="rounded-lg bg-ink-900 p-4 ring-1 ring-white/5" data-testid="serving-model">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p className="text-xl font-extrabold">
          v{version.id} · {version.algorithm}
        </p>
        <Link href="/admin/models" className="text-sm text-accent underline">
          All versions
        </Link>
      </div>
      <p className="mt-1 text-xs text-zinc-400">
        {formatParams(version.params)} · trained {formatDateTime(version.createdAt)} in {formatDuration(version.durationMs)}
        {snap.users !== undefined && ` on ${formatCount(snap.users, "user")} × ${formatCount(snap.items ?? 0, "movie")} (${formatCount(snap.interactions ?? 0, "interaction")})`}
      </p>
      <dl className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-5">
        {SHOWN_METRICS.map((m) => (
          <div key={m}>
            <dt className="text-xs text-zinc-400">{metricLabel(m)}</dt>
            <dd className="font-semibold tabular-nums">{formatMetric(version.metrics[m])}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
