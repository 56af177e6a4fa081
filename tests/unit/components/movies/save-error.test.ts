import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SaveErrorMessage } from "@/components/movies/optimistic-save";
import { postInteraction, SaveError } from "@/components/movies/post-interaction";
import { SaveErrorText } from "@/components/movies/save-error";

// What the movie page's controls say when a save fails, rendered to HTML on a movie page.

vi.mock("next/navigation", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/navigation")>()),
  usePathname: () => "/movies/40963",
}));

afterEach(() => vi.unstubAllGlobals());

async function failedSave(status: number): Promise<SaveError> {
  vi.stubGlobal("fetch", async () => new Response(null, { status }));
  const err = await postInteraction({ kind: "rating", movieId: 40963, value: 4 }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(SaveError);
  return err as SaveError;
}

const text = (html: string) => html.replace(/<[^>]+>/g, "");

describe("a save refused because the session ended", () => {
  it("links 'Sign in' to the sign-in page, coming back to this page", async () => {
    const err = await failedSave(401);
    for (const html of [
      renderToStaticMarkup(createElement(SaveErrorText, { error: err })),
      renderToStaticMarkup(createElement(SaveErrorMessage, { error: err })), // watchlist, watched
    ]) {
      expect(text(html)).toContain("Your session ended. Sign in again to save.");
      // the same link as the movie page's "Sign in to rate" (signInPath)
      expect(html).toMatch(/<a [^>]*href="\/signin\?callbackUrl=%2Fmovies%2F40963"[^>]*>Sign in<\/a>/);
    }
  });

  it("other failures are plain text, with no link", async () => {
    const err = await failedSave(429);
    const html = renderToStaticMarkup(createElement(SaveErrorText, { error: err }));
    expect(html).toBe("Too many changes at once. Try again in a minute.");
  });
});
