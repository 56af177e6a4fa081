import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LikeToggle, saveLike } from "@/components/movies/like-toggle";
import { saveWatched, WatchedButton } from "@/components/movies/watched-button";

// The movie page's like and watched toggles: what they render in each state, and what pressing
// them sends. (Clicking, focus and a failed save's rollback: tests/e2e/movie.spec.ts.)

vi.mock("next/navigation", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/navigation")>()),
  useRouter: () => ({ refresh: () => {} }),
  usePathname: () => "/movies/603",
}));

afterEach(() => vi.unstubAllGlobals());

/** The requests a save makes, answered 201. */
function recordRequests() {
  const sent: { method: string; url: string; body: unknown }[] = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
    sent.push({ method: init.method ?? "GET", url, body: init.body ? JSON.parse(String(init.body)) : null });
    return new Response(null, { status: 201 });
  });
  return sent;
}

const text = (html: string) => html.replace(/<[^>]+>/g, "").trim();

describe("the like toggle", () => {
  it("is a toggle button: pressed when liked, not pressed otherwise", () => {
    const on = renderToStaticMarkup(createElement(LikeToggle, { movieId: 603, initial: true }));
    expect(on).toMatch(/<button [^>]*aria-pressed="true"/);
    expect(text(on)).toBe("♥ Liked");
    const off = renderToStaticMarkup(createElement(LikeToggle, { movieId: 603, initial: false }));
    expect(off).toMatch(/<button [^>]*aria-pressed="false"/);
    expect(text(off)).toBe("♡ Like");
    // the heart is decoration: the button's name is the word
    expect(off).toMatch(/<span aria-hidden="true">♡<\/span>/);
  });

  it("likes with value 1 and takes the like back with value 0, through POST /api/interactions", async () => {
    const sent = recordRequests();
    await saveLike(603, true);
    await saveLike(603, false);
    expect(sent).toEqual([
      { method: "POST", url: "/api/interactions", body: { kind: "like", movieId: 603, value: 1 } },
      { method: "POST", url: "/api/interactions", body: { kind: "like", movieId: 603, value: 0 } },
    ]);
  });
});

describe("the watched toggle", () => {
  it("stays a live button once watched (pressed), so it can be undone and keeps keyboard focus", () => {
    // was: disabled once watched: no undo, and focus fell to <body> as it turned disabled
    const on = renderToStaticMarkup(createElement(WatchedButton, { movieId: 603, initial: true }));
    expect(on).toMatch(/<button [^>]*aria-pressed="true"/);
    expect(on).not.toMatch(/disabled/);
    expect(text(on)).toBe("✓ Watched");
    const off = renderToStaticMarkup(createElement(WatchedButton, { movieId: 603, initial: false }));
    expect(off).toMatch(/<button [^>]*aria-pressed="false"/);
    expect(text(off)).toBe("Mark as watched");
  });

  it("records a watch with POST and takes it back with DELETE ?kind=watch", async () => {
    const sent = recordRequests();
    await saveWatched(603, true);
    await saveWatched(603, false);
    expect(sent).toEqual([
      { method: "POST", url: "/api/interactions", body: { kind: "watch", movieId: 603 } },
      { method: "DELETE", url: "/api/interactions?movieId=603&kind=watch", body: null },
    ]);
  });
});

describe("on a list of cards (Likes, Watched)", () => {
  // each card's button is named after its film, read out after the words, as on the Watchlist
  it("names each button after its film, for screen readers only", () => {
    const like = renderToStaticMarkup(createElement(LikeToggle, { movieId: 603, initial: true, title: "The Matrix" }));
    expect(text(like)).toBe("♥ Liked (The Matrix)");
    expect(like).toMatch(/<span class="sr-only"> \(The Matrix\)<\/span>/);
    const watched = renderToStaticMarkup(createElement(WatchedButton, { movieId: 603, initial: true, title: "The Matrix" }));
    expect(text(watched)).toBe("✓ Watched (The Matrix)");
    expect(text(renderToStaticMarkup(createElement(WatchedButton, { movieId: 603, initial: false, title: "The Matrix" })))).toBe("Mark as watched (The Matrix)");
  });
});
