import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SearchForm } from "@/components/movies/search-form";
import { seedCatalog } from "@/lib/catalog/seed";
import { findByTestId, findElement } from "../../helpers/react-tree";
import { redirectTarget } from "../../helpers/redirect";
import { useTempDb } from "../../helpers/temp-db";

// The search page rendered in-process on the bundled catalog: what its form and summary say for
// the filters in the URL.

const { default: SearchPage } = await import("@/app/(main)/search/page");

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
