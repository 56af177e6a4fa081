import type { Metadata } from "next";
import { adminMetadata } from "@/app/admin/admin-metadata";
import { RollbackButton } from "@/components/admin/model-actions";
import { ModelEventsTable } from "@/components/admin/model-events-table";
import { ModelMetricsChart } from "@/components/admin/model-metrics-chart";
import { ModelsTable } from "@/components/admin/models-table";
import { AdminSection } from "@/components/admin/section";
import { requireAdminPage } from "@/lib/auth";
import { getModelsForAdmin } from "@/lib/mlops/actions";
import { failureReasons } from "@/lib/mlops/runs";

export const generateMetadata = (): Promise<Metadata> => adminMetadata("Models");

export default async function AdminModelsPage() {
  await requireAdminPage("/admin/models");
  const { servingVersion, rollbackTarget, noRollbackReason, versions, events } = await getModelsForAdmin();
  // why a failed version failed, as the runs page says it (was: a red badge and dashes alone)
  const failures = await failureReasons(versions.filter((v) => v.status === "failed").map((v) => v.id));
  const chart = versions
    .filter((v) => v.status === "ready")
    .toReversed()
    .map((v) => ({ version: `v${v.id}`, ndcg: v.metrics["ndcg@10"] ?? null, precision: v.metrics["precision@10"] ?? null }));
  return (
    <>
      <AdminSection
        title="Model versions"
        description={
          servingVersion === null
            ? "Nothing serves yet."
            : // the disabled Roll back button's reason, in the text too: a tooltip on a disabled button reaches neither the keyboard nor a touch screen
              `Version ${servingVersion} serves recommendations. Promoting or rolling back switches at once.${noRollbackReason ? ` ${noRollbackReason}` : ""}`
        }
        actions={servingVersion !== null && <RollbackButton target={rollbackTarget} unavailable={noRollbackReason} />}
      >
        {chart.length > 1 && (
          <div className="mb-4 rounded-lg bg-ink-900 p-4 ring-1 ring-white/5">
            <h3 className="mb-2 text-sm font-semibold text-zinc-300">Validation nDCG@10 and precision@10 by version</h3>
            <ModelMetricsChart data={chart} />
          </div>
        )}
        <ModelsTable versions={versions} failures={failures} />
      </AdminSection>

      <AdminSection title="Promotions and rollbacks" description="Who switched the serving version, and when.">
        <ModelEventsTable events={events} />
      </AdminSection>
    </>
  );
}
