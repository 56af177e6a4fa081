import type { Metadata } from "next";
import { adminMetadata } from "@/app/admin/admin-metadata";
import Link from "next/link";
import { ExperimentActions } from "@/components/admin/experiment-actions";
import { ExperimentForm } from "@/components/admin/experiment-form";
import { ExperimentReportTable } from "@/components/admin/experiment-report";
import { LiveRefresh } from "@/components/admin/live-refresh";
import { formatDateTime } from "@/components/admin/format";
import { AdminSection, EmptyState } from "@/components/admin/section";
import { StatusBadge } from "@/components/admin/status-badge";
import { requireAdminPage } from "@/lib/auth";
import { describeStop } from "@/lib/experiments/format";
import { getExperimentsPage } from "@/lib/experiments/service";

export const generateMetadata = (): Promise<Metadata> => adminMetadata("Experiments");

type Props = { searchParams: Promise<{ id?: string | string[] }> };

/** When an experiment ran: "Running since …", or "Started … · stopped …". */
function when(e: { startedAt: number; stoppedAt: number | null }): string {
  return e.stoppedAt === null ? `Running since ${formatDateTime(e.startedAt)}` : `Started ${formatDateTime(e.startedAt)} · stopped ${formatDateTime(e.stoppedAt)}`;
}

export default async function AdminExperimentsPage({ searchParams }: Props) {
  await requireAdminPage("/admin/experiments");
  const { items, report, problem, servingVersion, candidates, readAt } = await getExperimentsPage((await searchParams).id);
  const running = items.find((e) => e.status === "running");
  const metric = report?.experiment.primaryMetric === "ctr" ? "click-through rate" : "watch rate";
  const winnerVersion = report?.arms.find((a) => a.key === report.suggestedWinner)?.versionId ?? null;
  return (
    <>
      {problem && (
        <AdminSection
          title="Experiment"
          actions={
            items.length > 0 && (
              <Link href="/admin/experiments" className="text-sm text-accent underline">
                Show the latest
              </Link>
            )
          }
        >
          <p role="alert" className="rounded-lg bg-red-500/10 px-4 py-3 text-sm text-red-200 ring-1 ring-red-400/30" data-testid="experiment-problem">
            {problem}
          </p>
        </AdminSection>
      )}

      {report && (
        <AdminSection
          title={`Experiment #${report.experiment.id}: ${report.experiment.name}`}
          description={`${when(report.experiment)}; decided on ${metric}. Rates are per shown user × movie pair; p-values from a two-proportion z-test against arm A (significant below ${report.alpha.toPrecision(2)}).`}
          actions={report.experiment.status === "running" && <ExperimentActions id={report.experiment.id} winner={report.suggestedWinner} winnerVersion={winnerVersion} />}
        >
          {/* QA: the running experiment's report stayed at 0 while traffic came in, until a reload */}
          {report.experiment.status === "running" && <LiveRefresh readAt={readAt} what="Counts" />}
          <p id="experiment-verdict" tabIndex={-1} className="mb-3 text-sm text-zinc-200" data-testid="experiment-verdict">
            {report.verdict}
            {report.experiment.status === "stopped" && ` ${describeStop(report.experiment)}`}
          </p>
          <ExperimentReportTable report={report} />
        </AdminSection>
      )}

      {!running && (
        <AdminSection title="Start an experiment" description="Each user is assigned an arm by a hash of their id and the experiment's id, so they keep it. Only personalised recommendations are counted.">
          <ExperimentForm candidates={candidates} servingVersion={servingVersion} />
        </AdminSection>
      )}

      <AdminSection title="All experiments" description="Newest first. Simulated traffic: npm run simulate -- --traffic 2000.">
        {items.length === 0 ? (
          <EmptyState>No experiments yet.</EmptyState>
        ) : (
          <ul className="divide-y divide-white/5 rounded-lg ring-1 ring-white/5" data-testid="experiments-list">
            {items.map((e) => (
              <li key={e.id} className="flex flex-wrap items-center gap-3 px-3 py-2 text-sm">
                <Link href={`/admin/experiments?id=${e.id}`} className="font-semibold hover:underline">
                  #{e.id} {e.name}
                </Link>
                <StatusBadge status={e.status === "running" ? "running" : "archived"} label={e.status} />
                <span className="text-xs text-zinc-400">{e.arms.map((a) => `${a.key}: v${a.versionId} ${a.weight}%`).join(" · ")}</span>
                <span className="ml-auto text-xs text-zinc-400">
                  started {formatDateTime(e.startedAt)} by {e.createdByLabel}
                  {e.stoppedAt !== null && ` · stopped ${formatDateTime(e.stoppedAt)}${e.stoppedByLabel ? ` by ${e.stoppedByLabel}` : ""}`}
                </span>
              </li>
            ))}
          </ul>
        )}
      </AdminSection>
    </>
  );
}
