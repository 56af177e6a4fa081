import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { PosterCard } from "@/components/movies/poster-card";
import { toMovieCard } from "@/lib/catalog/card";
import { accessibleName } from "../../../helpers/accessible-name";

// A poster card is one link; what a screen reader says for it is its text plus its images' alt.

const minions = toMovieCard({ id: 211672, title: "Minions", year: 2015, genres: ["Family"], voteAverage: 6.4, posterPath: null });

const occurrences = (haystack: string, needle: string) => haystack.split(needle).length - 1;

describe("a poster card", () => {
  it.each([false, true])("says the film's title once (priority %s): the poster inside the link is decorative", (priority) => {
    // was: "Poster for Minions Minions 2015 ★ 6.4": the image's alt and the heading, in one link
    const html = renderToStaticMarkup(createElement(PosterCard, { movie: minions, priority, note: "Because you liked Up" }));
    expect(html).toMatch(/<img [^>]*alt=""/);
    expect(html).not.toContain("Poster for");
    expect(occurrences(accessibleName(html), "Minions")).toBe(1);
    expect(accessibleName(html)).toBe("Minions 2015 ★ 6.4 Because you liked Up");
  });
});
