import { describe, expect, it } from "vitest";
import { searchPageHref } from "@/lib/catalog/search-href";

// The search page's URLs, as its pagination and the search form in the browser build them.

describe("searchPageHref", () => {
  it("leaves out empty fields, the default sort and page 1", () => {
    // was: the form's submit went to /search?query=alien&genre=&year=&sort=popularity
    expect(searchPageHref({ query: "alien", genre: "", year: "", sort: "relevance" })).toBe("/search?query=alien");
    expect(searchPageHref({ query: "  ", genre: "", year: " ", sort: "relevance", page: 1 })).toBe("/search");
    expect(searchPageHref({ query: "alien", sort: "popularity" })).toBe("/search?query=alien&sort=popularity");
    expect(searchPageHref({})).toBe("/search");
  });

  it("keeps every filter that changes the results, in the form's order", () => {
    expect(searchPageHref({ query: " alien ", genre: "Science Fiction", year: 1979, sort: "year", page: 3 })).toBe(
      "/search?query=alien&genre=Science+Fiction&year=1979&sort=year&page=3",
    );
    expect(searchPageHref({ year: "1979", sort: "rating" })).toBe("/search?year=1979&sort=rating");
    expect(searchPageHref({ genre: "Action", page: 2 })).toBe("/search?genre=Action&page=2");
  });

  it("encodes what a title search may hold", () => {
    const href = searchPageHref({ query: "Amélie & 100% _x_ #1" });
    expect(new URL(href, "http://localhost").searchParams.get("query")).toBe("Amélie & 100% _x_ #1");
  });
});
