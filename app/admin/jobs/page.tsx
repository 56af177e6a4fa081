import type { Metadata } from "next";
import { adminMetadata } from "@/app/admin/admin-metadata";
import { JobProgress } from "@/components/admin/job-progress";
import { JobStarter } from "@/components/admin/job-starter";
import { LiveJobsTable } from "@/components/admin/live-jobs-table";
import { AdminSection } from "@/components/admin/section";
import { requireAdminPage } from "@/lib/auth";
import { getJobStartOptions, getJobsBoard } from "@/lib/jobs/api";

const RECENT_JOBS = 30;

export const generateMetadata = (): Promise<Metadata> => adminMetadata("Jobs");

export default async function AdminJobsPage() {
  await requireAdminPage("/admin/jobs");
  const { recent, live } = await getJobsBoard(RECENT_JOBS);
  const options = getJobStartOptions();
  return (
    <>
      <AdminSection title="Start a job" description="Jobs run in a background worker: you can leave or reload this page while they run.">
        <JobStarter {...options} finishedJobIds={recent.filter((j) => j.status !== "queued" && j.status !== "running").map((j) => j.id)} />
      </AdminSection>

      {live.length > 0 && (
        <AdminSection title="Latest">
          <div className="space-y-4">
            {live.map((job) => (
              <JobProgress key={job.id} initial={job} />
            ))}
          </div>
        </AdminSection>
      )}

      <AdminSection title="Recent jobs" description="Started here or from the command line, newest first.">
        <LiveJobsTable initial={recent} followedIds={live.map((job) => job.id)} limit={RECENT_JOBS} />
      </AdminSection>
    </>
  );
}
