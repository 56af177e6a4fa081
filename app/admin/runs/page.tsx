import type { Metadata } from "next";
import { adminMetadata } from "@/app/admin/admin-metadata";
import Link from "next/link";
import { TOO_FEW_RUNS } from "@/components/admin/format";
import { RunComparison } from "@/components/admin/run-comparison";
import { RunsTable } from "@/components/admin/runs-table";
import { AdminSection } from "@/components/admin/section";
import { requireAdminPage } from "@/lib/auth";
import { getRunsPage } from "@/lib/mlops/runs";

export const generateMetadata = (): Promise<Metadata> => adminMetadata("Runs");

type Props = { searchParams: Promise<{ compare?: string | string[] }> };

export default async function AdminRunsPage({ searchParams }: Props) {
  await requireAdminPage("/admin/runs");
  const compare = (await searchParams).compare;
  const page = await getRunsPage(compare);
  const { runs, servingVersion, selected, comparison } = page;
  // fewer than two run ids (the form without JavaScript, or an address naming one): in the form's words
  const ids = [compare ?? []].flat().flatMap((c) => c.split(",")).filter((c) => c.trim() !== "");
  const problem = page.problem && ids.length < 2 && ids.every((c) => /^\s*\d+\s*$/.test(c)) ? TOO_FEW_RUNS : page.problem;
  return (
    <>
      {(comparison || problem) && (
        <AdminSection
          title="Comparison"
          description={comparison ? `Runs ${comparison.runs.map((r) => `v${r.id}`).join(", ")}; changes are against v${comparison.baseline}.` : undefined}
          actions={
            <Link href="/admin/runs" className="text-sm text-accent underline">
              Clear
            </Link>
          }
        >
          {problem && (
            <p role="alert" className="rounded-lg bg-red-500/10 px-4 py-3 text-sm text-red-200 ring-1 ring-red-400/30" data-testid="compare-problem">
              {problem}
            </p>
          )}
          {comparison && <RunComparison comparison={comparison} />}
        </AdminSection>
      )}

      <AdminSection
        title="Training runs"
        description="Every training run with its parameters, validation metrics, data, duration, code version and outcome, newest first. Also: npm run runs."
      >
        <RunsTable runs={runs} selected={selected} servingVersion={servingVersion} />
      </AdminSection>
    </>
  );
}
