import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { ConnectionNote, JobProgress, nextAnnouncement, pollConnection, type Announcement, type Connection } from "@/components/admin/job-progress";
import type { ApiJobDetail } from "@/lib/jobs/schemas";

vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => {} }), usePathname: () => "/admin/jobs" }));

// A job card on /admin/jobs polls GET /api/admin/jobs/:id; what a failed poll means for it.

const failed = (status: number) => ({ ok: false as const, status, message: "x" });
const text = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&amp;/g, "&");

describe("following a job when a poll fails", () => {
  it("keeps polling through a network error or a server error", () => {
    expect(pollConnection({ ok: true, data: {} })).toBe("live");
    expect(pollConnection(failed(0))).toBe("reconnecting");
    expect(pollConnection(failed(500))).toBe("reconnecting");
    expect(pollConnection(failed(503))).toBe("reconnecting");
  });

  it("stops on 401/403 (signed out) and 404 (no such job)", () => {
    // was: any failed poll read "(reconnecting…)", for ever, after the session had ended
    expect(pollConnection(failed(401))).toBe("signed-out");
    expect(pollConnection(failed(403))).toBe("signed-out");
    expect(pollConnection(failed(404))).toBe("gone");
  });

  it("says what to do, with a sign-in link that comes back to the page", () => {
    const signedOut = renderToStaticMarkup(createElement(ConnectionNote, { connection: "signed-out", returnTo: "/admin/jobs" }));
    expect(text(signedOut)).toBe("Signed out — sign in again to follow this job. Sign in");
    expect(signedOut).toContain('href="/signin?callbackUrl=%2Fadmin%2Fjobs"');
    expect(text(renderToStaticMarkup(createElement(ConnectionNote, { connection: "gone", returnTo: "/admin/jobs" })))).toBe("This job no longer exists.");
    expect(text(renderToStaticMarkup(createElement(ConnectionNote, { connection: "reconnecting", returnTo: "/admin/jobs" })))).toBe("(reconnecting…)");
    expect(renderToStaticMarkup(createElement(ConnectionNote, { connection: "live", returnTo: "/admin/jobs" }))).toBe("");
  });
});

type Poll = Pick<ApiJobDetail, "status" | "progress" | "message"> & { connection?: Connection };

/** What a screen reader hears over a run of polls: each announcement, once. */
function announced(polls: Poll[]): string[] {
  const heard: string[] = [];
  let current: Announcement | null = null;
  for (const { connection = "live", ...poll } of polls) {
    const next: Announcement = nextAnnouncement(current, { id: 12, ...poll }, connection);
    if (next !== current) heard.push(next.text);
    current = next;
  }
  return heard;
}

describe("what a job card announces", () => {
  it("a crawl of 8 pages, polled every second: each status and each tenth, not every poll", () => {
    const polls: Poll[] = [{ status: "queued", progress: 0, message: null }];
    for (let i = 0; i < 3; i++) polls.push({ status: "running", progress: 0, message: "0/8 pages" });
    for (let page = 1; page <= 8; page++) {
      // a page takes a few seconds: the card polls three times per page
      for (let i = 0; i < 3; i++) polls.push({ status: "running", progress: page / 8, message: `${page}/8 pages` });
    }
    polls.push({ status: "succeeded", progress: 1, message: "8 pages, 160 new, 0 updated, 0 errors" });
    const heard = announced(polls);
    // was: the whole status line, every poll (28 polls here)
    expect(heard).toEqual([
      "Job #12 is waiting for the worker to start.",
      "Job #12: 0%, 0/8 pages.",
      "Job #12: 13%, 1/8 pages.",
      "Job #12: 25%, 2/8 pages.",
      "Job #12: 38%, 3/8 pages.",
      "Job #12: 50%, 4/8 pages.",
      "Job #12: 63%, 5/8 pages.",
      "Job #12: 75%, 6/8 pages.",
      "Job #12: 88%, 7/8 pages.",
      "Job #12: 100%, 8/8 pages.",
      "Job #12 succeeded: 8 pages, 160 new, 0 updated, 0 errors.",
    ]);
  });

  it("a long job's many small steps: only every tenth, and each new stage or problem", () => {
    const polls: Poll[] = [];
    for (let done = 0; done <= 20_000; done += 250) polls.push({ status: "running", progress: done / 20_000, message: `${done.toLocaleString("en-US")}/20,000 users` });
    expect(announced(polls)).toHaveLength(11); // 0%, 10%, … 100%
    expect(
      announced([
        { status: "running", progress: 0.06, message: "validation: fit" },
        { status: "running", progress: 0.07, message: "validation: fit" },
        { status: "running", progress: 0.08, message: "validation: score" },
        { status: "running", progress: 0.09, message: "3/8 pages" },
        { status: "running", progress: 0.09, message: "3/8 pages, 1 failed" },
        { status: "running", progress: 0.09, message: "4/8 pages, 1 failed" },
      ]),
    ).toEqual(["Job #12: 6%, validation: fit.", "Job #12: 8%, validation: score.", "Job #12: 9%, 3/8 pages.", "Job #12: 9%, 3/8 pages, 1 failed."]);
  });

  it("says once that the connection was lost, and again when it is back", () => {
    const running = { status: "running" as const, progress: 0.5, message: "4/8 pages" };
    expect(announced([running, { ...running, connection: "reconnecting" }, { ...running, connection: "reconnecting" }, running])).toEqual([
      "Job #12: 50%, 4/8 pages.",
      "Job #12: 50%, 4/8 pages. Reconnecting…",
      "Job #12: 50%, 4/8 pages.",
    ]);
  });

  it("shows the progress line without announcing it; one status region says the milestones", () => {
    const job: ApiJobDetail = {
      id: 12, kind: "crawl", status: "running", params: {}, progress: 0.875, message: "7/8 pages", stats: {}, error: null,
      requestedBy: "admin@example.com", trigger: null, createdAt: 0, startedAt: 0, finishedAt: null, heartbeatAt: 0, log: "",
    };
    const html = renderToStaticMarkup(createElement(JobProgress, { initial: job }));
    // was: <p aria-live="polite">88% · 7/8 pages</p>, re-read on every poll
    expect(html).not.toContain("aria-live");
    expect(html).toMatch(/<p [^>]*data-testid="job-progress-text"[^>]*>88% · 7\/8 pages<\/p>/);
    expect(html.match(/role="status"/g)).toHaveLength(1);
    expect(html).toMatch(/<p role="status" class="sr-only"[^>]*>Job #12: 88%, 7\/8 pages.<\/p>/);
  });
});
