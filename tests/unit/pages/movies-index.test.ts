import { describe, expect, it } from "vitest";
import { redirectTarget } from "../../helpers/redirect";

// /movies, the address above every movie page, rendered in-process.

const { default: MoviesIndexPage } = await import("@/app/movies/page");

const redirectOf = (params: Record<string, string | string[]>) => redirectTarget(() => MoviesIndexPage({ searchParams: Promise.resolve(params) }));

describe("/movies", () => {
  it("goes to the catalog's search (it was a 404), taking its query string along", async () => {
    expect(await redirectOf({})).toBe("/search");
    expect(await redirectOf({ genre: "Science Fiction", year: "1979" })).toBe("/search?genre=Science+Fiction&year=1979");
    expect(await redirectOf({ q: ["alien", "aliens"] })).toBe("/search?q=alien&q=aliens");
  });
});
