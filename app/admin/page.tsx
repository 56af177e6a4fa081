import type { Metadata } from "next";
import { InteractionsChart } from "@/components/admin/interactions-chart";
import { DriftPanel } from "@/components/admin/drift-panel";
import { AdminSection, EmptyState } from "@/components/admin/section";
import { ServingModelCard } from "@/components/admin/serving-model-card";
import { StatCard } from "@/components/admin/stat-card";
import { formatCount, formatNumber } from "@/components/admin/format";
import { requireAdminPage } from "@/lib/auth";
import { getDriftOverview } from "@/lib/mlops/drift";
import { getOverviewStats } from "@/lib/mlops/stats";

export const metadata: Metadata = { title: "Overview" };

export default async function AdminOverviewPage() {
  await requireAdminPage("/admin");
  const [stats, drift] = await Promise.all([getOverviewStats(60), getDriftOverview()]);
  const days = stats.interactionsPerDay;
  const u = stats.users;
  return (
    <>
      <AdminSection title="At a glance">
        <div className="grid gap-4 sm:grid-cols-3">
          <StatCard label="Movies in the catalog" value={stats.catalogMovies} testId="stat-movies" />
          <StatCard
            label="Users"
            value={u.total}
            detail={`${formatCount(u.accounts, "account")} · ${formatNumber(u.simulated)} simulated · ${formatNumber(u.imported)} imported`}
            testId="stat-users"
          />
          <StatCard label="Interactions" value={stats.interactions} detail="ratings, watches, likes and watchlist adds" testId="stat-interactions" />
        </div>
      </AdminSection>

      <AdminSection
        title="Interactions per day"
        description={days.length ? `${formatCount(days.length, "day")} up to the latest interaction (${days.at(-1)!.day}), UTC` : undefined}
      >
        {days.length ? (
          <div className="rounded-lg bg-ink-900 p-4 ring-1 ring-white/5">
            <InteractionsChart data={days} />
          </div>
        ) : (
          <EmptyState>No interactions yet. Simulate users on the Jobs page, or import a file with npm run import.</EmptyState>
        )}
      </AdminSection>

      <AdminSection title="Serving model">
        <ServingModelCard version={stats.serving} />
      </AdminSection>

      <AdminSection
        title="Drift"
        description="Interactions recorded since the serving model was trained, compared with the ones it was trained on (Population Stability Index per feature)."
      >
        <DriftPanel overview={drift} />
      </AdminSection>
    </>
  );
}
