import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogMovieInput } from "@/lib/catalog/schemas";
import { upsertMovies } from "@/lib/catalog/upsert";
import { getDb } from "@/lib/db";
import { itemNeighbors } from "@/lib/db/schema";
import { promoteVersion } from "@/lib/mlops/actions";
import { completeModelVersion, createModelVersion, invalidateServingSnapshot } from "@/lib/mlops/registry";
import { listSimilarMovies } from "@/lib/recs/serve";
import { useTempDb } from "../../helpers/temp-db";

// "More like this" (GET /api/movies/{id}/similar and the movie page): the film's series first, then
// its cached neighbours weighted by the genres they share with it (QA: Toy Story's row held a
// horror film and a biopic, and neither sequel).
const G = { animation: { id: 16, name: "Animation" }, comedy: { id: 35, name: "Comedy" }, family: { id: 10751, name: "Family" }, horror: { id: 27, name: "Horror" }, drama: { id: 18, name: "Drama" } };
const film = (id: number, title: string, genres: { id: number; name: string }[], year = 2000): CatalogMovieInput => ({
  id,
  title,
  original_language: "en",
  release_date: `${year}-01-01`,
  genres,
  runtime: 90,
  popularity: 10,
  vote_average: 7,
  vote_count: 100,
});

let tmp: ReturnType<typeof useTempDb>;
beforeAll(async () => {
  tmp = useTempDb();
  await upsertMovies(getDb(), [
    film(862, "Toy Story", [G.animation, G.comedy, G.family], 1995),
    film(863, "Toy Story 2", [G.animation, G.comedy, G.family], 1999),
    film(10193, "Toy Story 3", [G.animation, G.comedy, G.family], 2010),
    film(1, "Forget Me Not", [G.horror]),
    film(2, "J. Edgar", [G.drama]),
    film(3, "Shark Tale", [G.animation, G.comedy, G.family]),
    film(4, "The Borrowers", [G.comedy, G.family]),
    film(5, "Story of Us", [G.comedy, G.drama]),
  ]);
  invalidateServingSnapshot();
  const version = await createModelVersion({ algorithm: "item-knn", params: {} });
  // the cache's order, as sparse data leaves it: two strangers first, a sequel last
  const cached = [1, 2, 3, 4, 10193];
  await getDb()
    .insert(itemNeighbors)
    .values(cached.map((neighborId, i) => ({ modelVersionId: version.id, movieId: 862, rank: i + 1, neighborId, score: 0.4 - i * 0.05 })));
  await completeModelVersion(version.id, { metrics: {}, snapshot: {}, durationMs: 1 });
  await promoteVersion(version.id, { userId: null, label: "test" });
});
afterAll(() => tmp.cleanup());

describe("listSimilarMovies", () => {
  it("lists the film's series first, oldest first, then its neighbours by similarity weighted by shared genres", async () => {
    const similar = await listSimilarMovies(862, 10, { topUp: false });
    expect(similar.source).toBe("model");
    expect(similar.items.map((i) => i.id)).toEqual([863, 10193, 3, 4, 1, 2]);
    expect(similar.items.slice(0, 2).map((i) => i.reason)).toEqual([
      { type: "same_series", movieId: 862, title: "Toy Story" },
      { type: "same_series", movieId: 862, title: "Toy Story" },
    ]);
    expect(similar.items[2].reason).toEqual({ type: "similar_to", movieId: 862, title: "Toy Story" });
    // a sequel that is also a neighbour keeps its similarity; one that is not has none
    expect(similar.items[0].score).toBe(0);
    expect(similar.items[1].score).toBeCloseTo(0.2, 6);
    // Shark Tale: 0.3 × (0.5 + 3/3); Forget Me Not: 0.4 × (0.5 + 0)
    expect(similar.items[2].score).toBeCloseTo(0.45, 6);
    expect(similar.items[4].score).toBeCloseTo(0.2, 6);
  });

  it("lists a film with no neighbours by its series, then popular films of its genre when topped up", async () => {
    const similar = await listSimilarMovies(863, 5);
    expect(similar.source).toBe("model");
    expect(similar.items.slice(0, 2).map((i) => [i.id, i.reason.type])).toEqual([
      [862, "same_series"],
      [10193, "same_series"],
    ]);
    expect(similar.items.slice(2).every((i) => i.reason.type === "popular")).toBe(true);
    // and one of no series and no neighbours: the popular fill alone
    expect((await listSimilarMovies(2, 3)).source).toBe("popular");
  });
});
