"use client";

import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { ApiJob } from "@/lib/jobs/schemas";
import { adminFetch, type AdminResult } from "./admin-fetch";
import { ConnectionNote, type Connection } from "./job-progress";
import { JobsTable } from "./jobs-table";

/** While a listed job is queued or running: its row keeps up with its card (which polls every second). */
export const OPEN_POLL_MS = 2_000;
/** Otherwise: only to notice jobs started from the CLI, another tab or a schedule. */
export const IDLE_POLL_MS = 15_000;

const isOpen = (status: string) => status === "queued" || status === "running";

/** How long until the list is fetched again. */
export function jobsPollDelay(jobs: readonly Pick<ApiJob, "status">[]): number {
  return jobs.some((j) => isOpen(j.status)) ? OPEN_POLL_MS : IDLE_POLL_MS;
}

/**
 * Jobs in the list (newest first) that should have a card under Latest and have none: queued or
 * running ones, and the newest one whatever its status (started elsewhere since the page was
 * drawn; QA: a CLI job that started and finished between two polls never got a card, so Latest
 * showed an older job than the list's first row).
 */
export function unfollowedJobs(jobs: readonly Pick<ApiJob, "id" | "status">[], followedIds: readonly number[]): number[] {
  return jobs.filter((j, i) => (i === 0 || isOpen(j.status)) && !followedIds.includes(j.id)).map((j) => j.id);
}

/** A list poll's outcome: 401/403 stop polling (the session ended or lost its admin role); anything else failing passes. */
export function listConnection(res: AdminResult<unknown>): Exclude<Connection, "gone"> {
  if (res.ok) return "live";
  return res.status === 401 || res.status === 403 ? "signed-out" : "reconnecting";
}

/**
 * The Jobs page's "Recent jobs", live: while the page is visible it fetches GET /api/admin/jobs
 * again every OPEN_POLL_MS while a listed job is queued or running and every IDLE_POLL_MS
 * otherwise, at once when the page is shown again, and never while it is hidden. One request for
 * the whole list, whatever the number of jobs. A queued or running job the page has no card for,
 * or a newest job it has none for, refreshes the page's server data once, so its card appears
 * under Latest. `followedIds`: the jobs
 * with a card.
 */
export function LiveJobsTable({ initial, followedIds, limit }: { initial: ApiJob[]; followedIds: number[]; limit: number }) {
  const router = useRouter();
  const pathname = usePathname();
  const [jobs, setJobs] = useState(initial);
  // the server's list, when the page's data is refreshed (a job started or finished here), replaces ours
  const [fromServer, setFromServer] = useState(initial);
  if (initial !== fromServer) {
    setFromServer(initial);
    setJobs(initial);
  }
  const [connection, setConnection] = useState<Exclude<Connection, "gone">>("live");
  const refreshedFor = useRef(new Set<number>());
  const open = jobs.some((j) => isOpen(j.status));
  const signedOut = connection === "signed-out";

  useEffect(() => {
    if (signedOut) return;
    let stopped = false;
    let inFlight = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = (ms: number) => {
      clearTimeout(timer);
      if (document.visibilityState === "visible") timer = setTimeout(poll, ms);
    };
    const poll = async () => {
      if (inFlight) return;
      inFlight = true;
      const res = await adminFetch<{ items: ApiJob[] }>(`/api/admin/jobs?limit=${limit}`);
      inFlight = false;
      if (stopped) return;
      const next = listConnection(res);
      setConnection(next);
      if (next === "signed-out") return;
      if (!res.ok) return schedule(open ? OPEN_POLL_MS : IDLE_POLL_MS);
      setJobs(res.data.items);
      const unseen = unfollowedJobs(res.data.items, followedIds).filter((id) => !refreshedFor.current.has(id));
      if (unseen.length > 0) {
        for (const id of unseen) refreshedFor.current.add(id);
        router.refresh();
      }
      schedule(jobsPollDelay(res.data.items));
    };
    const onVisibility = () => {
      clearTimeout(timer);
      if (document.visibilityState === "visible") void poll();
    };
    document.addEventListener("visibilitychange", onVisibility);
    schedule(open ? OPEN_POLL_MS : IDLE_POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [open, signedOut, limit, followedIds, router]);

  return (
    <>
      {connection !== "live" && (
        <p className="mb-2 text-sm text-zinc-400" data-testid="jobs-table-connection">
          <ConnectionNote connection={connection} returnTo={pathname} purpose="keep this list up to date" />
        </p>
      )}
      <JobsTable jobs={jobs} />
    </>
  );
}
