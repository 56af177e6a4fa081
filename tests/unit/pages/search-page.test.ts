import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SearchForm } from "@/components/movies/search-form";
import { seedCatalog } from "@/lib/catalog/seed";
import { findByTestId, findElement } from "../../helpers/react-tree";
import { redirectTarget } from "../../helpers/redirect";
import { useTempDb } from "../../helpers/temp-db";

// The search page rendered in-process on the bundled catalog: what its form, summary and title
// say for the filters in the URL.

// the form navigates with the router once its script runs; rendered here as HTML only
vi.mock("next/navigation", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/navigation")>()),
  useRouter: () => ({ push: () => {} }),
}));

const { default: SearchPage, generateMetadata } = await import("@/app/(main)/search/page");

let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ cleanup } = useTempDb());
  await seedCatalog();
}, 60_000);
afterAll(() => cleanup());

const text = (el: ReactElement | null) => renderToStaticMarkup(el!).replace(/<[^>]+>/g, "");

async function render(params: Record<string, string>) {
  const page = (await SearchPage({ searchParams: Promise.resolve(params) })) as ReactElement;
  const form = findElement(page, (el) => el.type === SearchForm);
  expect(form).not.toBeNull();
  const html = renderToStaticMarkup(form!);
  return {
    form: form!.props as { genre?: string; year?: number },
    /** The option the Genre dropdown shows selected. */
    selectedGenre: /<select id="search-genre"[^>]*>.*?<option value="([^"]*)" selected=""/.exec(html)?.[1] ?? "",
    summary: text(findByTestId(page, "search-summary")),
  };
}

describe("the search page's genre filter", () => {
  it("matches the catalog's spelling whatever the case, and keeps it selected in the form", async () => {
    // was: 1,154 Action movies listed under a dropdown that said "Any genre" (so changing Sort dropped the filter)
    const exact = await render({ genre: "Action" });
    expect(exact.summary).toMatch(/^[\d,]+ movies for Action$/);
    expect(exact.selectedGenre).toBe("Action");
    for (const genre of ["action", "ACTION", " Action "]) {
      const page = await render({ genre });
      expect(page.form.genre, genre).toBe("Action");
      expect(page.selectedGenre, genre).toBe("Action");
      expect(page.summary, genre).toBe(exact.summary);
    }
    expect((await render({ genre: "science fiction", sort: "rating" })).selectedGenre).toBe("Science Fiction");
    // the links (pages, a page past the end) carry the catalog's spelling
    expect(await redirectTarget(() => SearchPage({ searchParams: Promise.resolve({ genre: "action", page: "999" }) }))).toMatch(
      /^\/search\?genre=Action&page=\d+$/,
    );
  });

  it("ignores an unknown genre, the way it ignores year=abc", async () => {
    // was: "No movies match Nonexistent" over a dropdown on "Any genre"
    const all = await render({});
    expect(all.summary).toBe("4,803 movies");
    const badYear = await render({ year: "abc" });
    expect(badYear.form.year).toBeUndefined();
    expect(badYear.summary).toBe(all.summary);
    const unknown = await render({ genre: "Nonexistent" });
    expect(unknown.form.genre).toBeUndefined();
    expect(unknown.selectedGenre).toBe("");
    expect(unknown.summary).toBe(all.summary);
    expect(await render({ genre: "Nonexistent", year: "1979" })).toMatchObject({ summary: expect.stringMatching(/^[\d,]+ movies for 1979$/) });
  });
});

describe("the search page's address and title", () => {
  const redirectOf = (params: Record<string, string>) => redirectTarget(() => SearchPage({ searchParams: Promise.resolve(params) }));
  const titleOf = async (params: Record<string, string>) => (await generateMetadata({ searchParams: Promise.resolve(params) })).title;

  it("reads ?q= as ?query=, at the search's own address", async () => {
    // was: /search?q=star listed the whole catalog, the parameter ignored
    expect(await redirectOf({ q: "star" })).toBe("/search?query=star");
    expect(await redirectOf({ q: " alien ", genre: "horror", sort: "year", page: "2" })).toBe("/search?query=alien&genre=Horror&sort=year&page=2");
    expect(await redirectOf({ q: "" })).toBe("/search");
    // `query` wins when both are given: nothing to redirect
    expect(await redirectOf({ query: "alien", q: "star" })).toBeNull();
    expect((await render({ query: "alien", q: "star" })).summary).toMatch(/^\d+ movies for “alien”$/);
  });

  it("names the search in the tab's title", async () => {
    // was: always "Search · Matinee" (the layout adds " · Matinee")
    expect(await titleOf({})).toBe("Search");
    expect(await titleOf({ query: "alien" })).toBe("“alien” · Search");
    expect(await titleOf({ query: "alien", genre: "horror", year: "1979" })).toBe("“alien” · Horror · 1979 · Search");
    expect(await titleOf({ genre: "Nonexistent", year: "abc" })).toBe("Search");
    expect(await titleOf({ q: "star" })).toBe("“star” · Search");
  });
});
