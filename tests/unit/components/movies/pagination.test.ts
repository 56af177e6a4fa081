import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { lastPage, pageFromParam, Pagination, pageWindow, redirectPastLastPage } from "@/components/movies/pagination";
import { redirectTarget } from "../../../helpers/redirect";

// Server components rendered to HTML: what a visitor (or a crawler) gets before any JavaScript.

const hrefFor = (page: number) => (page > 1 ? `/search?page=${page}` : "/search");

function render(page: number, total: number, pageSize = 24) {
  return renderToStaticMarkup(createElement(Pagination, { page, pageSize, total, hrefFor }));
}

/** The page numbers the rendered links point at, by rel. */
function links(html: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [, rel, href] of html.matchAll(/<a rel="(prev|next)"[^>]*href="([^"]*)"/g)) {
    out[rel] = Number(new URL(href, "http://localhost").searchParams.get("page") ?? "1");
  }
  return out;
}

/**
 * The numbered page links, in order: the page each goes to, its accessible name, whether it is the
 * current page. `wide`: the list shown from the sm breakpoint up; `narrow`: the one a phone shows.
 */
function numbered(html: string, which: "wide" | "narrow" = "wide"): { page: number; name: string; current?: true }[] {
  const shown = which === "wide" ? "max-sm:hidden" : "sm:hidden";
  return [...html.matchAll(/<li class="([^"]*)"><a [^>]*aria-label="(Page \d+)"[^>]*>\d+<\/a>/g)].filter(([, cls]) => cls === shown).map(([li, , name]) => {
    const a = li.slice(li.indexOf("<a "));
    const href = /href="([^"]*)"/.exec(a)![1];
    const page = Number(new URL(href, "http://localhost").searchParams.get("page") ?? "1");
    return a.includes('aria-current="page"') ? { page, name, current: true } : { page, name };
  });
}

describe("pageWindow", () => {
  it.each([
    [1, 201, [1, 2, 3, "gap", 201]],
    [2, 201, [1, 2, 3, "gap", 201]],
    [3, 201, [1, 2, 3, 4, "gap", 201]],
    [4, 201, [1, 2, 3, 4, 5, "gap", 201]],
    [5, 201, [1, "gap", 4, 5, 6, "gap", 201]],
    [100, 201, [1, "gap", 99, 100, 101, "gap", 201]],
    [199, 201, [1, "gap", 198, 199, 200, 201]],
    [201, 201, [1, "gap", 199, 200, 201]],
    [1, 2, [1, 2]],
    [2, 3, [1, 2, 3]],
    [1, 5, [1, 2, 3, 4, 5]],
    [1, 6, [1, 2, 3, "gap", 6]],
  ] as const)("page %i of %i: %j", (current, last, items) => {
    expect(pageWindow(current, last)).toEqual(items);
  });

  it.each([
    [1, 201, [1, "gap", 201]],
    [2, 201, [1, 2, "gap", 201]],
    [3, 201, [1, 2, 3, "gap", 201]],
    [4, 201, [1, "gap", 4, "gap", 201]],
    [201, 201, [1, "gap", 201]],
    [2, 3, [1, 2, 3]],
  ] as const)("on a phone (no page either side), page %i of %i: %j", (current, last, items) => {
    expect(pageWindow(current, last, 0)).toEqual(items);
  });
});

describe("Pagination", () => {
  it("links the pages either side of the current one", () => {
    const html = render(2, 4803);
    expect(html).toContain("Page 2 of 201");
    expect(links(html)).toEqual({ prev: 1, next: 3 });
    expect(links(render(1, 4803))).toEqual({ next: 2 });
    expect(links(render(201, 4803))).toEqual({ prev: 200 });
  });

  it("never links a page that does not exist, even for a page past the end", () => {
    // was: "Page 201 of 201" with "← Previous" to page 998
    const html = render(999, 4803);
    expect(html).toContain("Page 201 of 201");
    expect(links(html)).toEqual({ prev: 200 });
    for (const page of [1, 2, 3, 4, 5, 50]) {
      for (const total of [25, 48, 49, 100]) {
        const html = render(page, total);
        for (const target of [...Object.values(links(html)), ...numbered(html).map((l) => l.page), ...numbered(html, "narrow").map((l) => l.page)]) {
          expect(target, `page ${page} of ${total} items`).toBeGreaterThanOrEqual(1);
          expect(target, `page ${page} of ${total} items`).toBeLessThanOrEqual(lastPage(total, 24));
        }
      }
    }
  });

  it("links the first and last pages and those around the current one, the current marked for screen readers", () => {
    // was: only Previous / Next across 201 pages
    const html = render(100, 4803);
    expect(html).toMatch(/^<nav aria-label="Pages"/);
    expect(numbered(html)).toEqual([
      { page: 1, name: "Page 1" },
      { page: 99, name: "Page 99" },
      { page: 100, name: "Page 100", current: true },
      { page: 101, name: "Page 101" },
      { page: 201, name: "Page 201" },
    ]);
    expect(html.match(/<li class="[^"]*max-sm:hidden">…<\/li>/g)).toHaveLength(2);
    // a phone's list: the current page between the first and the last, so it fits one line
    expect(numbered(html, "narrow")).toEqual([
      { page: 1, name: "Page 1" },
      { page: 100, name: "Page 100", current: true },
      { page: 201, name: "Page 201" },
    ]);
    expect(html.match(/<li class="[^"]*sm:hidden">…<\/li>/g)?.filter((li) => !li.includes("max-sm:"))).toHaveLength(2);
    expect(numbered(render(1, 4803)).map((l) => l.page)).toEqual([1, 2, 3, 201]);
    expect(numbered(render(1, 4803)).filter((l) => l.current)).toEqual([{ page: 1, name: "Page 1", current: true }]);
    expect(renderToStaticMarkup(createElement(Pagination, { page: 2, pageSize: 24, total: 100, hrefFor, label: "Search result pages" }))).toMatch(
      /^<nav aria-label="Search result pages"/,
    );
  });

  it("shows Previous at the first page and Next at the last as text, not links, hidden from screen readers", () => {
    // was: zinc-600 on the page's background, 2.59:1 (axe); zinc-400 is about 7.6:1
    const first = render(1, 4803);
    expect(first).toMatch(/<li aria-hidden="true"><span class="[^"]*text-zinc-400[^"]*">← <span class="max-sm:sr-only">Previous<\/span><\/span><\/li>/);
    expect(first).not.toContain("text-zinc-600");
    expect(links(first)).toEqual({ next: 2 });
    expect(render(201, 4803)).toMatch(/<li aria-hidden="true"><span class="[^"]*text-zinc-400[^"]*"><span class="max-sm:sr-only">Next<\/span> →<\/span><\/li>/);
  });

  it("is left out when everything fits on one page", () => {
    expect(render(1, 24)).toBe("");
    expect(render(5, 11)).toBe("");
    expect(render(1, 0)).toBe("");
  });
});

describe("redirectPastLastPage", () => {
  const redirectOf = (list: { page: number; pageSize: number; total: number }) => redirectTarget(() => redirectPastLastPage(list, hrefFor));

  it("sends a page past the end to the last page, and an empty list to the first", async () => {
    expect(await redirectOf({ page: 999, pageSize: 24, total: 4803 })).toBe("/search?page=201");
    expect(await redirectOf({ page: 202, pageSize: 24, total: 4803 })).toBe("/search?page=201");
    expect(await redirectOf({ page: 5, pageSize: 24, total: 11 })).toBe("/search");
    expect(await redirectOf({ page: 2, pageSize: 24, total: 0 })).toBe("/search");
  });

  it("leaves pages that exist alone", async () => {
    expect(await redirectOf({ page: 201, pageSize: 24, total: 4803 })).toBeNull();
    expect(await redirectOf({ page: 1, pageSize: 24, total: 0 })).toBeNull();
    expect(await redirectOf({ page: 1, pageSize: 24, total: 3 })).toBeNull();
  });
});

describe("pageFromParam", () => {
  it("reads a page number, forgiving a missing or malformed one as page 1", () => {
    expect(pageFromParam("7")).toBe(7);
    expect(pageFromParam(["3", "9"])).toBe(3);
    for (const bad of [undefined, "", "0", "-2", "1.5", "abc", "07", "1e9", " 4"]) expect(pageFromParam(bad), String(bad)).toBe(1);
  });

  it("reads any page past 10,000 as 10,000, which is past the end of every list (and so redirected to its last page)", async () => {
    for (const far of ["10001", "99999", "12345678901234567890"]) expect(pageFromParam(far), far).toBe(10_000);
    expect(pageFromParam("10000")).toBe(10_000);
    expect(await redirectTarget(() => redirectPastLastPage({ page: pageFromParam("99999"), pageSize: 24, total: 4803 }, hrefFor))).toBe("/search?page=201");
  });
});
