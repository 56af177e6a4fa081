import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";

// The cue over a poster card's poster while the movie page it opens is loading. The link's status
// is Next's (useLinkStatus); here it is set by hand.

const status = vi.hoisted(() => ({ pending: false }));
vi.mock("next/link", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/link")>()), useLinkStatus: () => status }));

const { LinkPendingCue } = await import("@/components/movies/link-pending");
const { PosterCard } = await import("@/components/movies/poster-card");

const cue = () => renderToStaticMarkup(createElement(LinkPendingCue));

describe("the link-pending cue", () => {
  it("is in place but invisible while nothing is loading", () => {
    status.pending = false;
    const html = cue();
    expect(html).toMatch(/^<span aria-hidden="true" data-testid="link-pending" class="[^"]*\bopacity-0\b/);
    expect(html).not.toContain("data-pending");
  });

  it("shows (dimmed poster, spinner) while the link's page is on its way", () => {
    // was: a click on a poster left the page unchanged for seconds on a slow connection (QA)
    status.pending = true;
    const html = cue();
    expect(html).toContain('data-pending="true"');
    expect(html).toMatch(/class="[^"]*data-\[pending=true\]:opacity-100/);
    expect(html).toContain("motion-safe:animate-spin"); // no spinning for reduced motion
  });

  it("sits over the poster inside each poster card's link, out of the link's name", () => {
    status.pending = false;
    const movie = { id: 603, title: "The Matrix", year: 1999, genres: [], voteAverage: 7.9, poster: { src: "/p.svg", fallback: "/p.svg" } };
    const html = renderToStaticMarkup(createElement(PosterCard, { movie }));
    expect(html).toMatch(/^<a [^>]*href="\/movies\/603"[^>]*><div class="relative"><img [^>]*><span aria-hidden="true" data-testid="link-pending"/);
  });
});
