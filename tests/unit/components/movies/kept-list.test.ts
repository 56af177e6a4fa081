import { describe, expect, it } from "vitest";
import { keptOrder, type KeptItem } from "@/components/movies/kept-list";

// An own list (watchlist, likes, watched) as the page re-renders after a change made on it.

const item = (key: string, node = key): KeptItem => ({ key, node });
const keys = (items: KeptItem[]) => items.map((i) => i.key);

describe("keptOrder", () => {
  it("keeps a card the page no longer has where it was, with its last element", () => {
    const shown = [item("a"), item("b", "b-on-list"), item("c")];
    const out = keptOrder(shown, [item("a"), item("c")]);
    expect(keys(out)).toEqual(["a", "b", "c"]);
    expect(out[1].node).toBe("b-on-list");
  });

  it("takes each card's new element from the page", () => {
    const out = keptOrder([item("a", "old"), item("b")], [item("a", "new"), item("b")]);
    expect(out[0].node).toBe("new");
  });

  it("adds a film that moved up from the next page at the end, so the next page skips none", () => {
    // was: it waited for the next visit, and was on neither page
    const out = keptOrder([item("a"), item("b"), item("c")], [item("a"), item("c"), item("d")]);
    expect(keys(out)).toEqual(["a", "b", "c", "d"]);
  });

  it("keeps a film put back where it stood, not where the page lists it (latest added first)", () => {
    expect(keys(keptOrder([item("a"), item("b"), item("c")], [item("b"), item("a"), item("c")]))).toEqual(["a", "b", "c"]);
  });
});
