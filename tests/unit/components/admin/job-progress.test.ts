import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ConnectionNote, pollConnection } from "@/components/admin/job-progress";

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
