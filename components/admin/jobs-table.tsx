import { ScrollRegion } from "@/components/ui/scroll-region";
import { jobRequester } from "@/lib/jobs/origin";
import type { ApiJob } from "@/lib/jobs/schemas";
import { formatDateTime, formatDuration } from "./format";
import { EmptyState } from "./section";
import { StatusBadge } from "./status-badge";

/**
 * Recent jobs, newest first (LiveJobsTable keeps it up to date). On a phone the table is wider than
 * the screen: its scroll box is a named tab stop, so a keyboard can reach it and scroll it with the
 * arrow keys (axe: scrollable-region-focusable).
 */
export function JobsTable({ jobs }: { jobs: ApiJob[] }) {
  if (jobs.length === 0) return <EmptyState>No jobs yet. Start a crawl, a simulation or a retraining above.</EmptyState>;
  return (
    <ScrollRegion label="Recent jobs table" className="rounded-lg ring-1 ring-white/5">
      <table className="w-full text-left text-sm" data-testid="jobs-table">
        <thead className="bg-ink-900 text-xs uppercase tracking-wide text-zinc-400">
          <tr>
            <th scope="col" className="px-3 py-2">Job</th>
            <th scope="col" className="px-3 py-2">Status</th>
            <th scope="col" className="px-3 py-2">Progress</th>
            <th scope="col" className="px-3 py-2">By</th>
            <th scope="col" className="px-3 py-2">Queued</th>
            <th scope="col" className="px-3 py-2">Took</th>
            <th scope="col" className="px-3 py-2">Outcome</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-white/5">
          {jobs.map((job) => (
            <tr key={job.id} data-testid="job-row" data-job-id={job.id} className="align-top">
              <td className="whitespace-nowrap px-3 py-2 font-semibold">
                #{job.id} {job.kind}
              </td>
              <td className="px-3 py-2">
                <StatusBadge status={job.status} />
              </td>
              <td className="px-3 py-2 tabular-nums">{Math.round(job.progress * 100)}%</td>
              <td className="px-3 py-2 text-zinc-400">{jobRequester(job)}</td>
              <td className="whitespace-nowrap px-3 py-2 text-zinc-400">{formatDateTime(job.createdAt)}</td>
              <td className="whitespace-nowrap px-3 py-2 text-zinc-400">
                {job.startedAt && job.finishedAt ? formatDuration(job.finishedAt - job.startedAt) : "—"}
              </td>
              <td className={`px-3 py-2 ${job.error ? "text-red-300" : "text-zinc-300"}`}>{job.error ?? job.message ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
