import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { JobsTable } from "@/components/admin/jobs-table";
import { IDLE_POLL_MS, jobsPollDelay, listConnection, OPEN_POLL_MS, unfollowedJobs } from "@/components/admin/live-jobs-table";
import type { ApiJob } from "@/lib/jobs/schemas";

// /admin/jobs "Recent jobs": the table, and how its live copy keeps up with the jobs.

const job = (id: number, status: ApiJob["status"]): ApiJob => ({
  id, kind: "crawl", status, params: {}, progress: status === "succeeded" ? 1 : 0.5, message: null, stats: {}, error: null,
  requestedBy: null, trigger: null, createdAt: 0, startedAt: 0, finishedAt: null, heartbeatAt: 0,
});

describe("the recent jobs table", () => {
  it("is a named tab stop, so a keyboard can scroll it sideways on a phone", () => {
    // was: a plain overflow box (axe scrollable-region-focusable, serious)
    const html = renderToStaticMarkup(createElement(JobsTable, { jobs: [job(1, "succeeded")] }));
    const wrapper = html.slice(0, html.indexOf("<table"));
    expect(wrapper).toContain('role="region"');
    expect(wrapper).toContain('aria-label="Recent jobs table"');
    expect(wrapper).toContain('tabindex="0"');
    expect(wrapper).toMatch(/overflow-x-auto/);
  });

  it("says there are none yet (no empty tab stop)", () => {
    const html = renderToStaticMarkup(createElement(JobsTable, { jobs: [] }));
    expect(html).toContain("No jobs yet.");
    expect(html).not.toContain("tabindex");
  });
});

describe("keeping the list live", () => {
  it("polls every few seconds while a listed job is queued or running, otherwise only to catch jobs started elsewhere", () => {
    expect(OPEN_POLL_MS).toBeLessThanOrEqual(3_000);
    expect(IDLE_POLL_MS).toBeGreaterThanOrEqual(10_000);
    expect(IDLE_POLL_MS).toBeLessThanOrEqual(15_000);
    expect(jobsPollDelay([job(3, "succeeded"), job(2, "running"), job(1, "failed")])).toBe(OPEN_POLL_MS);
    expect(jobsPollDelay([job(3, "queued")])).toBe(OPEN_POLL_MS);
    expect(jobsPollDelay([job(3, "succeeded"), job(2, "cancelled"), job(1, "failed")])).toBe(IDLE_POLL_MS);
    expect(jobsPollDelay([])).toBe(IDLE_POLL_MS);
  });

  it("finds the open jobs the page has no card for (started from the CLI or another tab), and a newest job it has none for", () => {
    const jobs = [job(9, "queued"), job(8, "running"), job(7, "running"), job(6, "succeeded")];
    expect(unfollowedJobs(jobs, [8, 6])).toEqual([9, 7]);
    expect(unfollowedJobs(jobs, [9, 8, 7])).toEqual([]);
    // was: a CLI job started and finished between two polls never got a card (Latest showed #15, the list #16)
    const finished = [job(16, "succeeded"), job(15, "succeeded"), job(14, "failed")];
    expect(unfollowedJobs(finished, [15])).toEqual([16]);
    expect(unfollowedJobs(finished, [16])).toEqual([]);
    expect(unfollowedJobs([], [16])).toEqual([]);
  });

  it("stops on 401/403 as a job card does; a network error or a 5xx passes", () => {
    expect(listConnection({ ok: true, data: { items: [] } })).toBe("live");
    expect(listConnection({ ok: false, status: 401, message: "x" })).toBe("signed-out");
    expect(listConnection({ ok: false, status: 403, message: "x" })).toBe("signed-out");
    expect(listConnection({ ok: false, status: 0, message: "x" })).toBe("reconnecting");
    expect(listConnection({ ok: false, status: 503, message: "x" })).toBe("reconnecting");
  });
});
