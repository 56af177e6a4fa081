import { describe, expect, it, vi } from "vitest";
import type { CatalogGrid } from "@/lib/catalog/home";

// What a visitor's home grid says it is, whichever picks it got: the grid's source is set by hand.

const grid = vi.hoisted(() => ({ current: { movies: [], source: "popular" } as CatalogGrid }));
vi.mock("@/lib/catalog/home", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/catalog/home")>()),
  getPopularGrid: async () => grid.current,
}));
vi.mock("@/lib/catalog/queries", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/catalog/queries")>()),
  listPopularMovies: async () => [],
}));

const { getSignedOutFeed } = await import("@/lib/recs/home");

describe("the signed-out home grid's title and subtitle", () => {
  it("say popular by TMDB's score for the catalog's popular picks, not what anyone is watching this week", async () => {
    grid.current = { movies: [], source: "popular" };
    const { grid: shown } = await getSignedOutFeed();
    expect(shown.title).toBe("Popular on TMDB");
    expect(shown.subtitle).toBe("The catalog's most popular films, by TMDB's popularity score as of the last catalog update.");
  });

  it("say random for random picks (the database failed), not popular", async () => {
    // was: "Picks for tonight" over "The films everyone is watching this week."
    grid.current = { movies: [], source: "random", notice: "We couldn't load tailored picks right now, so here is a random selection." };
    const { grid: shown } = await getSignedOutFeed();
    expect(shown.title).toBe("Picks for tonight");
    expect(shown.subtitle).toBe("A random selection from the catalog.");
  });
});
