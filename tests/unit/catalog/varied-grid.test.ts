import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listVariedPopularMovies, ONBOARDING_GENRES } from "@/lib/catalog/home";
import { listPopularMovies } from "@/lib/catalog/queries";
import { seedCatalog } from "@/lib/catalog/seed";
import { useTempDb } from "../../helpers/temp-db";

// The onboarding grid (listVariedPopularMovies) on the bundled catalog.

let tmp: ReturnType<typeof useTempDb>;
beforeAll(async () => {
  tmp = useTempDb();
  await seedCatalog();
}, 60_000);
afterAll(() => tmp.cleanup());

describe("listVariedPopularMovies", () => {
  it("fills the whole grid, each film once, though popular films share genres", async () => {
    // was: 41 cards (a ragged last row): a film already taken for another genre was dropped and
    // its genre's turn not made up
    const cards = await listVariedPopularMovies(4);
    expect(cards).toHaveLength(4 * ONBOARDING_GENRES.length);
    expect(new Set(cards.map((m) => m.id)).size).toBe(cards.length);
    // still varied: every genre has its four
    for (const genre of ONBOARDING_GENRES) expect(cards.filter((m) => m.genres.includes(genre)).length, genre).toBeGreaterThanOrEqual(4);
    // and taken in turns: the first round is the top film of each genre not already shown
    const topAction = (await listPopularMovies({ k: 1, genre: "Action" }))[0];
    expect(cards[0].id).toBe(topAction.id);
  });

  it("tops up from the other genres when one has no films", async () => {
    const cards = await listVariedPopularMovies(3, ["Action", "Comedy", "No Such Genre"]);
    expect(cards).toHaveLength(9);
    expect(new Set(cards.map((m) => m.id)).size).toBe(9);
  });
});
