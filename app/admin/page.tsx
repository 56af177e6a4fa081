import type { Metadata } from "next";
import { adminMetadata } from "@/app/admin/admin-metadata";
import Link from "next/link";
import { Suspense } from "react";
import { z } from "zod";
import { InteractionsChart } from "@/components/admin/interactions-chart";
import { DriftSection } from "@/components/admin/drift-section";
import { AdminSection, EmptyState } from "@/components/admin/section";
import { ServingModelCard } from "@/components/admin/serving-model-card";
import { StatCard } from "@/components/admin/stat-card";
import { Skeleton } from "@/components/ui/skeleton";
import { formatCount, formatNumber } from "@/components/admin/format";
import { requireAdminPage } from "@/lib/auth";
import { ACTIVITY_RANGES, getOverviewStats, type ActivityRange, type ActivitySeries } from "@/lib/mlops/stats";

// absolute: the admin layout's "%s · Admin · Matinee" applies to the pages below /admin, not to its own
export const generateMetadata = (): Promise<Metadata> => adminMetadata("Overview · Admin · Matinee", { absolute: true });

type Props = { searchParams: Promise<{ range?: string | string[] }> };

const rangeSchema = z.enum(ACTIVITY_RANGES).catch("60d");
const rangeNames: Record<ActivityRange, string> = { "60d": "60 days", "1y": "1 year", all: "All time" };

export default async function AdminOverviewPage({ searchParams }: Props) {
  await requireAdminPage("/admin");
  const range = rangeSchema.parse((await searchParams).range);
  const stats = await getOverviewStats(range);
  const activity = stats.activity;
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

      <AdminSection title={`Interactions per ${activity.unit}`} description={describeActivity(activity)} actions={<RangePicker current={range} />}>
        {activity.buckets.length ? (
          <div className="rounded-lg bg-ink-900 p-4 ring-1 ring-white/5">
            <InteractionsChart data={activity.buckets} unit={activity.unit} />
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
        {/* scans every interaction (off the event loop: lib/db/off-thread.ts): the rest of the page does not wait for it */}
        <Suspense
          fallback={
            <div role="status" aria-busy="true" data-testid="drift-loading" className="relative">
              <Skeleton className="h-48" />
              {/* said, not only a grey box (QA): the check reads every interaction, seconds on a large database */}
              <p className="absolute inset-0 flex items-center justify-center text-sm text-zinc-400">Computing drift over every interaction…</p>
            </div>
          }
        >
          <DriftSection />
        </Suspense>
      </AdminSection>
    </>
  );
}

function describeActivity(a: ActivitySeries): string | undefined {
  if (a.latestDay === null) return undefined;
  const span = a.range === "all" ? `Everything, ${formatCount(a.buckets.length, a.unit)}` : formatCount(a.buckets.length, a.unit);
  return `${span} up to the latest interaction (${a.latestDay}), UTC`;
}

/** The chart's span, as links (the page reads `?range=`). */
function RangePicker({ current }: { current: ActivityRange }) {
  return (
    <nav aria-label="Chart range" className="flex gap-1 rounded-md bg-ink-900 p-1 text-sm ring-1 ring-white/5">
      {ACTIVITY_RANGES.map((r) => (
        <Link
          key={r}
          href={r === "60d" ? "/admin" : `/admin?range=${r}`}
          aria-current={r === current ? "page" : undefined}
          scroll={false}
          className={`rounded px-2.5 py-1 ${r === current ? "bg-ink-700 font-semibold text-zinc-100" : "text-zinc-400 hover:text-zinc-100"}`}
        >
          {rangeNames[r]}
        </Link>
      ))}
    </nav>
  );
}
