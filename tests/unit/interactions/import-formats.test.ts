import { describe, expect, it } from "vitest";
import { splitCsvLine } from "@/lib/interactions/import-file";
import { createFormatReader, detectFormat, parseLinkLine } from "@/lib/interactions/import-formats";

const GENERIC_HEADER = "user_id,tmdb_id,rating,watch_seconds,timestamp";

describe("detectFormat", () => {
  it("recognises each format from its first line", () => {
    expect(detectFormat("196\t242\t3\t881250949")).toBe("udata");
    expect(detectFormat("1::1193::5::978300760")).toBe("udata");
    expect(detectFormat("userId,movieId,rating,timestamp")).toBe("movielens-csv");
    expect(detectFormat(GENERIC_HEADER)).toBe("generic");
    expect(detectFormat("user_id,tmdb_id,timestamp,rating")).toBe("generic"); // any order, optional columns
    expect(detectFormat("hello world")).toBeNull();
    expect(detectFormat("user_id,tmdb_id")).toBeNull(); // timestamp is required
  });
});

describe("format readers", () => {
  it("u.data rows: MovieLens ids, rating and epoch seconds", () => {
    const r = createFormatReader("udata", "");
    expect(r.hasHeader).toBe(false);
    expect(r.parse("196\t242\t3\t881250949")).toEqual({
      ok: true,
      row: { user: "196", item: 242, rating: 3, watchSeconds: null, timestampMs: 881250949000 },
    });
    expect(r.parse("196\t242\t3")).toEqual({ ok: false, reason: "expected 4 tab-separated fields (user item rating timestamp), got 3" });
    expect(r.parse("196\t242\t6\t881250949")).toEqual({ ok: false, reason: "rating must be at most 5" });
    expect(r.parse("x\t242\t3\t881250949")).toEqual({ ok: false, reason: "user id must be a positive integer" });
    expect(r.parse("1\t242\t3\t1")).toEqual({ ok: false, reason: "timestamp is before 1990" });
  });

  it("ratings.csv needs its header and takes half-star ratings", () => {
    expect(() => createFormatReader("movielens-csv", "1,2,3.5,964982703")).toThrow(/expected the header/);
    const r = createFormatReader("movielens-csv", "userId,movieId,rating,timestamp");
    expect(r.parse("1,31,2.5,1260759144")).toMatchObject({ ok: true, row: { user: "1", item: 31, rating: 2.5 } });
    expect(r.parse("1,31,2.7,1260759144")).toEqual({ ok: false, reason: "rating must be in steps of 0.5" });
    expect(r.parse("1,31,,1260759144")).toEqual({ ok: false, reason: "rating must be a number" });
  });

  it("generic rows: optional rating and watch seconds, flexible timestamps, header order respected", () => {
    const r = createFormatReader("generic", GENERIC_HEADER);
    expect(r.parse("alice,550,4.5,,1600000000")).toEqual({
      ok: true,
      row: { user: "alice", item: 550, rating: 4.5, watchSeconds: null, timestampMs: 1600000000000 },
    });
    expect(r.parse("alice,550,,5400,2021-03-04T10:00:00Z")).toMatchObject({ ok: true, row: { rating: null, watchSeconds: 5400, timestampMs: Date.parse("2021-03-04T10:00:00Z") } });
    expect(r.parse("alice,550,,,1600000000123")).toMatchObject({ ok: true, row: { rating: null, watchSeconds: null, timestampMs: 1600000000123 } });
    expect(r.parse('"bob",550,3,,1600000000')).toMatchObject({ ok: true, row: { user: "bob" } });
    expect(r.parse("alice,550,4,,yesterday")).toEqual({ ok: false, reason: "timestamp must be epoch seconds, epoch milliseconds or an ISO date" });
    expect(r.parse(",550,4,,1600000000")).toEqual({ ok: false, reason: "user_id is required" });
    expect(r.parse("alice,-3,4,,1600000000")).toEqual({ ok: false, reason: "tmdb_id must be a positive integer" });
    expect(r.parse("alice,550,4,-1,1600000000")).toEqual({ ok: false, reason: "watch_seconds must be a whole number of seconds" });
    expect(r.parse('alice,"550,4,,1600000000')).toEqual({ ok: false, reason: "unterminated quote" });
    // a user id with a control character is a bad row, not an id stored with NUL or ESC in it
    for (const id of ["evil\u0000user", "a\u0001b", "\u001b[31mred", "del\u007f", "c1\u0085x", "\u0007bell"]) {
      expect(r.parse(`${id},550,4,,1600000000`), JSON.stringify(id)).toEqual({ ok: false, reason: "user_id must not contain control characters" });
    }
    expect(r.parse("tab\tid,550,4,,1600000000")).toEqual({ ok: false, reason: "user_id must not contain spaces or commas" });
    expect(r.parse("josé-ñ-🎬,550,4,,1600000000")).toMatchObject({ ok: true, row: { user: "josé-ñ-🎬" } });

    const reordered = createFormatReader("generic", "timestamp,tmdb_id,user_id");
    expect(reordered.parse("1600000000,550,carol")).toMatchObject({ ok: true, row: { user: "carol", item: 550, rating: null, watchSeconds: null } });
    expect(() => createFormatReader("generic", "user_id,tmdb_id,stars,timestamp")).toThrow(/unknown stars/);
  });

  it("generic: refuses a header that names a column twice, and dates that do not exist", () => {
    // the second rating column used to win silently in every row
    expect(() => createFormatReader("generic", "user_id,tmdb_id,rating,rating,timestamp")).toThrow(/^the header on line 1 names rating more than once$/);
    expect(() => createFormatReader("generic", "user_id,tmdb_id,timestamp,Timestamp")).toThrow(/names timestamp more than once/);
    const r = createFormatReader("generic", GENERIC_HEADER);
    // Date.parse read 2020-02-31 as 2 March
    expect(r.parse("alice,550,4,,2020-02-31")).toEqual({ ok: false, reason: "timestamp 2020-02-31 is not a calendar date" });
    expect(r.parse("alice,550,4,,2021-02-29T10:00:00Z")).toEqual({ ok: false, reason: "timestamp 2021-02-29 is not a calendar date" });
    expect(r.parse("alice,550,4,,2021-13-01")).toEqual({ ok: false, reason: "timestamp 2021-13-01 is not a calendar date" });
    expect(r.parse("alice,550,4,,2020-02-29")).toMatchObject({ ok: true, row: { timestampMs: Date.UTC(2020, 1, 29) } });
  });
});

describe("links and CSV splitting", () => {
  it("parses links.csv rows, with or without a TMDB id", () => {
    expect(parseLinkLine("1,0114709,862")).toEqual({ movieId: 1, tmdbId: 862 });
    expect(parseLinkLine("791,0113610,")).toEqual({ movieId: 791, tmdbId: undefined });
    expect(parseLinkLine("1,2")).toEqual({ error: "expected 3 fields movieId,imdbId,tmdbId" });
  });

  it("an id past 2,147,483,647 names that limit in every format, however far past it is", () => {
    const generic = createFormatReader("generic", GENERIC_HEADER);
    const udata = createFormatReader("udata", "");
    const mlCsv = createFormatReader("movielens-csv", "userId,movieId,rating,timestamp");
    // past 2^53 zod's safe-integer bound spoke first ("must be at most 9007199254740991"), past 1e308 "must be a number"
    for (const id of ["2147483648", "9007199254740991", "9007199254740992", "99999999999999999999999", "9".repeat(400), "0009007199254740993"]) {
      expect(generic.parse(`alice,${id},4,,1600000000`), id).toEqual({ ok: false, reason: "tmdb_id is too large (at most 2147483647)" });
      expect(udata.parse(`1\t${id}\t3\t881250949`), id).toEqual({ ok: false, reason: "item: movie id is too large (at most 2147483647)" });
      expect(udata.parse(`${id}\t1\t3\t881250949`), id).toEqual({ ok: false, reason: "user id is too large (at most 2147483647)" });
      expect(mlCsv.parse(`1,${id},3,881250949`), id).toEqual({ ok: false, reason: "item: movie id is too large (at most 2147483647)" });
      expect(parseLinkLine(`1,0114709,${id}`), id).toEqual({ error: "tmdbId is too large (at most 2147483647)" });
    }
    // the limit itself, and leading zeros, are fine; zero is not positive
    expect(generic.parse("alice,0002147483647,4,,1600000000")).toMatchObject({ ok: true, row: { item: 2147483647 } });
    expect(udata.parse("2147483647\t1\t3\t881250949")).toMatchObject({ ok: true, row: { user: "2147483647" } });
    expect(generic.parse("alice,000,4,,1600000000")).toEqual({ ok: false, reason: "tmdb_id must be positive" });
  });

  it("splits quoted CSV fields", () => {
    expect(splitCsvLine('a,"b,c","d ""e""",')).toEqual(["a", "b,c", 'd "e"', ""]);
    expect(splitCsvLine('"a"x,b')).toBeNull();
  });
});
