import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { seedCatalog } from "@/lib/catalog/seed";
import { findByTestId } from "../../helpers/react-tree";
import { useTempDb } from "../../helpers/temp-db";

// The movie page rendered in-process for a signed-out visitor, on the bundled catalog.

vi.mock("@/lib/auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth")>()),
  getSessionUser: async () => null,
}));

const { default: MoviePage } = await import("@/app/movies/[id]/page");

let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ cleanup } = useTempDb());
  await seedCatalog();
}, 60_000);
afterAll(() => cleanup());

async function tmdbRating(movieId: number): Promise<string> {
  const page = await MoviePage({ params: Promise.resolve({ id: String(movieId) }), searchParams: Promise.resolve({}) });
  const dd = findByTestId(page, "movie-tmdb-rating");
  expect(dd).not.toBeNull();
  return renderToStaticMarkup(dd!).replace(/<[^>]+>/g, "");
}

describe("the TMDB rating line", () => {
  it("says '1 vote' for a single vote", async () => {
    // Little Big Top: one vote on TMDB (was "(1 votes on TMDB)")
    // (seen: "10.0/10"; heard: "10.0 out of 10"; was a star, beside the user's own 5-star control)
    expect(await tmdbRating(40963)).toBe("10.0/10 out of 10 (1 vote on TMDB)");
  });

  it("separates thousands in larger counts", async () => {
    expect(await tmdbRating(603)).toMatch(/^\d\.\d\/10 out of 10 \(\d{1,3}(,\d{3})+ votes on TMDB\)$/);
  });
});
