import { describe, expect, it } from "vitest";
import { countNoun, formatCalendarDate, formatCount, formatNumber } from "@/lib/util/format";

describe("formatCount", () => {
  it("says 1 thing and N things, with thousands separated", () => {
    expect(formatCount(1, "vote")).toBe("1 vote");
    expect(formatCount(0, "vote")).toBe("0 votes");
    expect(formatCount(2, "vote")).toBe("2 votes");
    expect(formatCount(4803, "movie")).toBe("4,803 movies");
    expect(formatCount(1, "entry", "entries")).toBe("1 entry");
    expect(formatCount(26660, "entry", "entries")).toBe("26,660 entries");
  });

  it("countNoun gives the noun alone, formatNumber the number alone", () => {
    expect(countNoun(1, "interaction")).toBe("interaction");
    expect(countNoun(12, "interaction")).toBe("interactions");
    expect(formatNumber(1234567)).toBe("1,234,567");
  });
});

describe("formatCalendarDate", () => {
  it("reads TMDB's dates as words, whatever the server's time zone, and leaves anything else alone", () => {
    expect(formatCalendarDate("2009-12-10")).toBe("December 10, 2009");
    expect(formatCalendarDate("1999-01-01")).toBe("January 1, 1999");
    for (const odd of ["2009-02-30", "2009", "", "soon"]) expect(formatCalendarDate(odd)).toBe(odd);
  });
});
