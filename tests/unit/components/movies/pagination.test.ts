import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { lastPage, pageFromParam, Pagination, redirectPastLastPage } from "@/components/movies/pagination";
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
        for (const target of Object.values(links(render(page, total)))) {
          expect(target, `page ${page} of ${total} items`).toBeGreaterThanOrEqual(1);
          expect(target, `page ${page} of ${total} items`).toBeLessThanOrEqual(lastPage(total, 24));
        }
      }
    }
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
