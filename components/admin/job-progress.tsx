"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { signInPath } from "@/lib/auth/paths";
import { jobRequester } from "@/lib/jobs/origin";
import type { ApiJobDetail } from "@/lib/jobs/schemas";
import { adminFetch, type ActionResult, type AdminResult } from "./admin-fetch";
import { ConfirmButton } from "./confirm-button";
import { formatDateTime, formatDuration } from "./format";
import { StatusBadge } from "./status-badge";

const POLL_MS = 1_000;
const LOG_LINES = 40;

const isOpen = (status: string) => status === "queued" || status === "running";

/**
 * Where following a job stands after a failed poll: a network error or a 5xx may pass
 * ("reconnecting", polling goes on); a 401/403 (the session ended or lost its admin role) or a
 * 404 (the job was deleted) will not, so polling stops and the card says why.
 */
export type Connection = "live" | "reconnecting" | "signed-out" | "gone";

export function pollConnection(res: AdminResult<unknown>): Connection {
  if (res.ok) return "live";
  if (res.status === 401 || res.status === 403) return "signed-out";
  if (res.status === 404) return "gone";
  return "reconnecting";
}

/**
 * What the card (or the jobs table) says about a lost connection (nothing while live). `returnTo`:
 * this page, for sign-in to come back to; `purpose`: what signing in again is for.
 */
export function ConnectionNote({ connection, returnTo, purpose = "follow this job" }: { connection: Connection; returnTo: string; purpose?: string }) {
  if (connection === "reconnecting") return <span className="ml-2 text-amber-300">(reconnecting…)</span>;
  if (connection === "signed-out") {
    return (
      <span role="alert" className="mt-1 block text-amber-300" data-testid="job-connection">
        Signed out — sign in again to {purpose}.{" "}
        <Link href={signInPath(returnTo)} className="text-accent underline">
          Sign in
        </Link>
      </span>
    );
  }
  if (connection === "gone") {
    return (
      <span role="alert" className="mt-1 block text-amber-300" data-testid="job-connection">
        This job no longer exists.
      </span>
    );
  }
  return null;
}

/** What a card's live region says, and the milestone (`key`) it was said at. */
export type Announcement = { key: string; text: string };

/**
 * What a job card announces to screen readers about `job`: `prev` itself (nothing new to say)
 * until something worth hearing changes — the status, the progress reaching another tenth, the
 * stage (the message without its counts: "validation: fit" → "writing caches" is one, "3/8 pages" →
 * "4/8 pages" is not, "…, 1 failed" is) or the connection being lost. The card's visible text
 * follows every poll; in a live region it was read out whole every second of a crawl.
 */
export function nextAnnouncement(
  prev: Announcement | null,
  job: Pick<ApiJobDetail, "id" | "status" | "progress" | "message">,
  connection: Connection,
): Announcement {
  const pct = Math.round(job.progress * 100);
  const open = isOpen(job.status);
  const stage = (job.message ?? "").replace(/\d[\d,.]*/g, "#");
  const reconnecting = connection === "reconnecting";
  const key = [job.status, job.status === "running" ? Math.floor(pct / 10) : "", stage, reconnecting ? "reconnecting" : ""].join("|");
  if (prev?.key === key) return prev;
  const said =
    job.status === "queued"
      ? `Job #${job.id} is waiting for the worker to start.`
      : open
        ? `Job #${job.id}: ${pct}%${job.message ? `, ${job.message}` : ""}.`
        : `Job #${job.id} ${job.status}${job.message ? `: ${job.message}` : ""}.`;
  return { key, text: reconnecting ? `${said} Reconnecting…` : said };
}

/**
 * One job, live: polls GET /api/admin/jobs/:id every second while it is queued or running, then
 * refreshes the page's server data (job list, models) once it has finished.
 */
export function JobProgress({ initial }: { initial: ApiJobDetail }) {
  const router = useRouter();
  const [job, setJob] = useState(initial);
  const pathname = usePathname();
  const [connection, setConnection] = useState<Connection>("live");
  const open = isOpen(job.status);
  // its worker was told to stop (202): it records `cancelled` after its current step
  const stopping = open && typeof job.stats.cancelRequestedAt === "number";
  const lost = connection === "signed-out" || connection === "gone";
  // adjusted while rendering (not in an effect): the live region changes in the same commit as the card
  const [announcement, setAnnouncement] = useState(() => nextAnnouncement(null, initial, "live"));
  const announce = nextAnnouncement(announcement, job, connection);
  if (announce !== announcement) setAnnouncement(announce);

  useEffect(() => {
    if (!open || lost) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      const res = await adminFetch<{ job: ApiJobDetail }>(`/api/admin/jobs/${initial.id}`);
      if (stopped) return;
      const next = pollConnection(res);
      setConnection(next);
      if (next === "signed-out" || next === "gone") return;
      if (res.ok) {
        setJob(res.data.job);
        if (!isOpen(res.data.job.status)) {
          router.refresh();
          return;
        }
      }
      timer = setTimeout(poll, POLL_MS);
    };
    timer = setTimeout(poll, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [open, lost, initial.id, router]);

  const pct = Math.round(job.progress * 100);
  const logLines = job.log.trimEnd().split("\n").slice(-LOG_LINES).join("\n");
  const ended = job.finishedAt ?? (open ? null : job.heartbeatAt);
  return (
    <article className="rounded-lg bg-ink-900 p-4 ring-1 ring-white/5" data-testid="job-progress" data-job-id={job.id} data-status={job.status} aria-labelledby={`job-${job.id}-title`}>
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h3 id={`job-${job.id}-title`} tabIndex={-1} className="font-bold">
          Job #{job.id}: {job.kind}
        </h3>
        <StatusBadge status={job.status} />
        <p className="text-xs text-zinc-400">
          by {jobRequester(job)} ·{" "}
          queued {formatDateTime(job.createdAt)}
          {job.startedAt && ended ? ` · took ${formatDuration(ended - job.startedAt)}` : ""}
        </p>
        {open && !lost && !stopping && (
          <div className="ml-auto">
            <ConfirmButton
              label="Stop job"
              question={
                job.status === "queued"
                  ? `Stop job #${job.id} before it starts?`
                  : job.kind === "train"
                    ? `Stop job #${job.id}? Training ends at once.`
                    : `Stop job #${job.id}? It stops after its current ${job.kind === "crawl" ? "page" : "batch"}; start it again to go on.`
              }
              confirmLabel="Yes, stop it"
              dismissLabel={job.status === "queued" ? "Keep it queued" : "Keep it running"}
              pendingLabel="Stopping…"
              action={async (): Promise<ActionResult> => {
                const res = await adminFetch<{ outcome: "cancelled" | "stopping"; job: ApiJobDetail }>(`/api/admin/jobs/${job.id}/cancel`, { method: "POST" });
                if (!res.ok) return res.message;
                setJob(res.data.job);
                if (res.data.outcome === "cancelled") router.refresh();
                return null;
              }}
              focusWhenDone={`job-${job.id}-title`}
              shape="whitespace-nowrap rounded-md px-3 py-1 text-xs font-semibold ring-1 disabled:opacity-70"
              className="text-red-200 ring-red-400/30 hover:bg-red-500/10"
              tone="danger"
            />
          </div>
        )}
      </header>

      <div
        role="progressbar"
        aria-label={`Job #${job.id} progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        className="mt-3 h-2 overflow-hidden rounded-full bg-ink-700"
      >
        <div
          className={`h-full rounded-full transition-[width] duration-500 ${job.status === "failed" ? "bg-red-400" : "bg-accent"} ${job.status === "queued" ? "animate-pulse" : ""}`}
          style={{ width: `${job.status === "queued" ? 100 : pct}%`, opacity: job.status === "queued" ? 0.25 : 1 }}
        />
      </div>
      {/* what changes every poll is shown, not announced: the status line below says the milestones */}
      <p className="mt-2 text-sm text-zinc-300" data-testid="job-progress-text">
        {job.status === "queued" ? "Waiting for the worker to start…" : `${pct}%${job.message ? ` · ${job.message}` : ""}`}
        {stopping && <span className="ml-2 text-amber-300">Stopping after the current step…</span>}
        <ConnectionNote connection={connection} returnTo={pathname} />
      </p>
      <p role="status" className="sr-only" data-testid="job-announcement">
        {announce.text}
      </p>
      {job.error && (
        <p role="alert" className="mt-2 rounded-md bg-red-500/10 px-3 py-2 text-sm text-red-200">
          {job.error}
        </p>
      )}
      <JobResult job={job} />
      {logLines && (
        <details className="mt-3" open={open}>
          <summary className="cursor-pointer text-xs font-semibold text-zinc-400">Log</summary>
          <pre aria-label={`Job #${job.id} log`} className="mt-2 max-h-64 overflow-auto whitespace-pre-wrap rounded-md bg-ink-950 p-3 text-xs leading-relaxed text-zinc-300">
            {logLines}
          </pre>
        </details>
      )}
    </article>
  );
}

function JobResult({ job }: { job: ApiJobDetail }) {
  if (job.status !== "succeeded" || job.kind !== "train" || typeof job.stats.versionId !== "number") return null;
  const promoted = job.stats.promoted === true;
  return (
    <p className="mt-2 text-sm" data-testid="job-result" data-version-id={job.stats.versionId}>
      Model version <strong>{job.stats.versionId}</strong> {promoted ? "is now serving." : "was kept as a candidate (it did not pass the gate)."}{" "}
      <Link href="/admin/models" className="text-accent underline">
        See models
      </Link>
    </p>
  );
}
