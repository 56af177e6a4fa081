import { describe, expect, it } from "vitest";
import { sameSeries, seriesKey } from "@/lib/catalog/series";

// Telling a film's sequels by title, for "More like this" (the catalog has no collection field).
describe("seriesKey", () => {
  it("keeps the words before a subtitle, without a leading article or trailing sequel numbers", () => {
    expect(seriesKey("Toy Story 3")).toEqual(["toy", "story"]);
    expect(seriesKey("The Lord of the Rings: The Two Towers")).toEqual(["lord", "of", "the", "rings"]);
    expect(seriesKey("Back to the Future Part II")).toEqual(["back", "to", "the", "future"]);
    expect(seriesKey("Star Trek II: The Wrath of Khan")).toEqual(["star", "trek"]);
    expect(seriesKey("Spider-Man 3")).toEqual(["spider", "man"]);
    expect(seriesKey("Amélie")).toEqual(["amelie"]);
    expect(seriesKey("2012")).toBeNull();
    expect(seriesKey("300")).toBeNull();
  });
});

describe("sameSeries", () => {
  it("pairs a film with its sequels and prequels", () => {
    for (const [a, b] of [
      ["Toy Story", "Toy Story 2"],
      ["Toy Story 2", "Toy Story 3"],
      ["The Lord of the Rings: The Fellowship of the Ring", "The Lord of the Rings: The Return of the King"],
      ["The Dark Knight", "The Dark Knight Rises"],
      ["X-Men", "X-Men Origins: Wolverine"],
      ["Harry Potter and the Philosopher's Stone", "Harry Potter and the Chamber of Secrets"],
      ["The Godfather", "The Godfather: Part II"],
      ["Alien", "Alien: Resurrection"],
      ["Mission: Impossible", "Mission: Impossible III"],
      ["Star Wars", "Star Wars: Episode I - The Phantom Menace"],
      ["The Hunger Games", "The Hunger Games: Mockingjay - Part 1"],
    ]) {
      expect(sameSeries(a, b), `${a} / ${b}`).toBe(true);
      expect(sameSeries(b, a), `${b} / ${a}`).toBe(true);
    }
  });

  it("does not pair films that only share a word or a phrase", () => {
    for (const [a, b] of [
      ["Mission: Impossible", "Mission to Mars"],
      ["Night of the Living Dead", "Night of the Hunter"],
      ["The Man Who Knew Too Little", "The Man Who Shot Liberty Valance"],
      ["Return of the Jedi", "Return of the King"],
      ["Batman Begins", "The Dark Knight"],
      ["Toy Story", "Story of Us"],
      ["Star Trek", "Star Wars"],
      ["2012", "2012"],
    ]) {
      expect(sameSeries(a, b), `${a} / ${b}`).toBe(false);
    }
  });
});
