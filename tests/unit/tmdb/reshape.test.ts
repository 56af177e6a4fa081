import { describe, expect, it } from "vitest";
import { TmdbError } from "@/lib/tmdb/errors";
import { parseGenreList, parsePopularPage, reshapeMovieDetails } from "@/lib/tmdb/reshape";

const details = {
  id: 496243,
  title: "기생충",
  original_title: "기생충",
  original_language: "ko",
  release_date: "2019-05-30",
  runtime: 133,
  popularity: 45.2,
  vote_average: 8.5,
  vote_count: 18000,
  poster_path: "/default.jpg",
  genres: [{ id: 35, name: "코미디" }],
  adult: false,
  images: {
    posters: [
      { file_path: "/en.jpg", iso_639_1: "en" },
      { file_path: "/ko.jpg", iso_639_1: "ko" },
    ],
  },
};

function malformed(fn: () => unknown): TmdbError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TmdbError);
    expect((err as TmdbError).kind).toBe("malformed");
    return err as TmdbError;
  }
  throw new Error("expected a malformed error");
}

describe("reshapeMovieDetails", () => {
  it("keeps the catalog fields and picks the poster in the image language", () => {
    expect(reshapeMovieDetails(details, { imageLanguage: "ko" })).toEqual({
      id: 496243,
      title: "기생충",
      original_title: "기생충",
      original_language: "ko",
      release_date: "2019-05-30",
      genres: [{ id: 35, name: "코미디" }],
      runtime: 133,
      popularity: 45.2,
      vote_average: 8.5,
      vote_count: 18000,
      poster_path: "/ko.jpg",
    });
  });

  it("falls back to TMDB's poster, the original title and null dates", () => {
    const movie = reshapeMovieDetails(
      { ...details, title: "", release_date: "", images: undefined, runtime: null },
      { imageLanguage: "ja" },
    );
    expect(movie).toMatchObject({ title: "기생충", release_date: null, runtime: null, poster_path: "/default.jpg" });
  });

  it("rejects the wrong shape with the offending field", () => {
    expect(malformed(() => reshapeMovieDetails({ ...details, id: "496243" })).message).toMatch(/id/);
    expect(malformed(() => reshapeMovieDetails({ ...details, vote_average: 11 })).message).toMatch(/vote_average/);
    expect(malformed(() => reshapeMovieDetails({ ...details, title: null, original_title: null })).message).toMatch(/title/);
    malformed(() => reshapeMovieDetails(null));
  });
});

describe("popular pages and genres", () => {
  it("accepts TMDB's shape and rejects anything else", () => {
    expect(parsePopularPage({ page: 2, total_pages: 500, results: [{ id: 7, title: "x" }] }, 2).results).toEqual([{ id: 7, title: "x" }]);
    expect(malformed(() => parsePopularPage({ page: 2, results: "nope" }, 2)).message).toMatch(/^popular page 2/);
    expect(parseGenreList({ genres: [{ id: 28, name: "액션" }] })).toEqual([{ id: 28, name: "액션" }]);
    malformed(() => parseGenreList({ genres: [{ id: 28 }] }));
  });
});
