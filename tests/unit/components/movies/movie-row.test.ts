import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MovieRow } from "@/components/movies/movie-row";
import { toMovieCard } from "@/lib/catalog/card";

// The link beside a row's title: "See all" names the row for screen readers; a row whose link
// goes elsewhere says where, for everyone.

const movies = [toMovieCard({ id: 603, title: "The Matrix", year: 1999, genres: ["Action"], voteAverage: 7.9, posterPath: null })];

/** The row's heading link: its href and its text (sr-only text included). */
function rowLink(html: string) {
  const m = html.match(/<a [^>]*href="([^"]*)"[^>]*>((?:(?!<\/a>).)*)<\/a>/s)!;
  return { href: m[1], text: m[2].replace(/<[^>]+>/g, "") };
}

describe("a row's link", () => {
  it("is 'See all' named after the row by default", () => {
    const html = renderToStaticMarkup(createElement(MovieRow, { id: "popular", title: "Popular on TMDB", movies, href: "/search" }));
    expect(rowLink(html)).toEqual({ href: "/search", text: "See all: Popular on TMDB" });
  });

  it("says where it goes when given a label ('More like ‹title›', to that film's More like this)", () => {
    const html = renderToStaticMarkup(
      createElement(MovieRow, {
        id: "because-603",
        title: "Because you liked The Matrix",
        movies,
        href: "/movies/603#more-like-this",
        linkLabel: "More like The Matrix",
      }),
    );
    expect(rowLink(html)).toEqual({ href: "/movies/603#more-like-this", text: "More like The Matrix" });
    expect(html).not.toContain("See all");
  });
});
