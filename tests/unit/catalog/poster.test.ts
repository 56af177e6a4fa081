import { describe, expect, it } from "vitest";
import { posterUrls, renderPosterSvg, wrapTitle } from "@/lib/catalog/poster";

describe("posters", () => {
  it("uses the TMDB image when there is a poster path, the generated one otherwise", () => {
    expect(posterUrls({ id: 11, posterPath: "/abc.jpg" })).toEqual({
      src: "https://image.tmdb.org/t/p/w342/abc.jpg",
      fallback: "/api/posters/11",
    });
    expect(posterUrls({ id: 11, posterPath: null }).src).toBe("/api/posters/11");
  });

  it("renders a deterministic SVG that differs between movies", () => {
    const a = renderPosterSvg({ title: "Star Wars", year: 1977, genres: ["Adventure", "Action"] });
    expect(renderPosterSvg({ title: "Star Wars", year: 1977, genres: ["Adventure", "Action"] })).toBe(a);
    expect(renderPosterSvg({ title: "Alien", year: 1979, genres: ["Horror"] })).not.toBe(a);
    expect(a).toContain("<svg");
    expect(a).toContain("Star Wars");
    expect(a).toContain("1977");
  });

  it("escapes markup in titles", () => {
    const svg = renderPosterSvg({ title: `<script>alert("x")</script> & Co`, year: null, genres: [] });
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&#60;script&#62;");
  });

  it("wraps long titles into at most four lines", () => {
    const lines = wrapTitle("Pirates of the Caribbean: The Curse of the Black Pearl and Other Stories Told at Sea");
    expect(lines.length).toBe(4);
    expect(lines.at(-1)).toMatch(/…$/);
    expect(wrapTitle("Up")).toEqual(["Up"]);
  });
});
