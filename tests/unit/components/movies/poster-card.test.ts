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
    // the score as it shows ("TMDB 6.4") is aria-hidden: its words, out of 10, are in the name instead
    const named = html.replace(/<span aria-hidden="true"><span[^>]*>TMDB<\/span> [\d.]+<\/span>/, "");
    expect(accessibleName(named)).toBe("Minions 2015 TMDB score 6.4 out of 10 Because you liked Up");
  });

  it("labels the TMDB score as TMDB's, out of 10, so it is not read as the user's own stars out of 5", () => {
    // was: "★ 6.4" on a card whose note on My ratings said "Your rating: ★ 4.5/5"
    const html = renderToStaticMarkup(createElement(PosterCard, { movie: minions, note: "Your rating: ★ 4.5/5" }));
    const score = /<span data-testid="tmdb-score">(.*?)<span class="sr-only">(.*?)<\/span><\/span>/.exec(html)!;
    expect(score[1].replace(/<[^>]+>/g, "")).toBe("TMDB 6.4"); // what the eye reads
    expect(score[1]).toMatch(/^<span aria-hidden="true">/);
    expect(score[2]).toBe("TMDB score 6.4 out of 10"); // what a screen reader says
    expect(score[1]).not.toContain("★");
  });

  it("shows no score for a film with no TMDB votes", () => {
    const html = renderToStaticMarkup(createElement(PosterCard, { movie: { ...minions, voteAverage: 0 } }));
    expect(html).not.toContain("tmdb-score");
  });
});
