// Who started a job, as its log and the admin pages say it. No server imports: the admin's client
// components use it too.

/** What queues a job without an admin: the retrain schedule, or a drift check past its threshold. */
export const jobTriggers = ["schedule", "drift"] as const;
export type JobTrigger = (typeof jobTriggers)[number];

/** Who queued a job, from what enqueueJob stored in its stats: the admin's email, else a trigger (both null: the CLI). */
export function jobOrigin(stats: Record<string, unknown> | null | undefined): { requestedBy: string | null; trigger: JobTrigger | null } {
  const requestedBy = stats?.requestedBy;
  const trigger = stats?.trigger;
  return {
    requestedBy: typeof requestedBy === "string" ? requestedBy : null,
    trigger: jobTriggers.includes(trigger as JobTrigger) ? (trigger as JobTrigger) : null,
  };
}

/** The admin's email, the retrain schedule, drift auto-retrain, or the CLI. */
export function jobRequester(job: { requestedBy: string | null; trigger: JobTrigger | null }): string {
  if (job.requestedBy) return job.requestedBy;
  return job.trigger === "schedule" ? "the retrain schedule" : job.trigger === "drift" ? "drift auto-retrain" : "the CLI";
}
