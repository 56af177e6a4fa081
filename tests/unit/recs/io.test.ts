import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseRatings, RatingsFileError, readRatingsFile } from "@/lib/recs/io";

describe("parseRatings", () => {
  it("reads u.data (tabs) with CRLF and blank lines", () => {
    const t = parseRatings("196\t242\t3\t881250949\r\n\n186\t302\t3.5\t891717742\r\n196\t302\t1\t1\n");
    expect(t.format).toBe("tsv");
    expect(t.length).toBe(3);
    expect(t.userIds).toEqual(["196", "186"]);
    expect(t.itemIds).toEqual(["242", "302"]);
    expect(Array.from(t.users)).toEqual([0, 1, 0]);
    expect(Array.from(t.items)).toEqual([0, 1, 1]);
    expect(Array.from(t.ratings)).toEqual([3, 3.5, 1]);
    expect(t.timestamps[1]).toBe(891717742);
  });

  it("reads ratings.csv with and without the header", () => {
    const withHeader = parseRatings("userId,movieId,rating,timestamp\n1,31,2.5,1260759144\n1,1029,3.0,1260759179\n");
    expect(withHeader.format).toBe("csv");
    expect(withHeader.length).toBe(2);
    expect(withHeader.itemIds).toEqual(["31", "1029"]);
    expect(parseRatings("1,31,2.5\n2,31,4\n").length).toBe(2);
  });

  it("reads ratings.dat (::) and keeps non-numeric ids as written", () => {
    const t = parseRatings("1::1193::5::978300760\nalice::007::4::978302109\n");
    expect(t.format).toBe("dat");
    expect(t.userIds).toEqual(["1", "alice"]);
    expect(t.itemIds).toEqual(["1193", "007"]);
  });

  it("names the file and line of a bad line", () => {
    expect(() => parseRatings("1\t2\t3\t4\n1\t2\n", "u.data")).toThrow(/u\.data:2: expected 3 or 4 fields, found 2/);
    expect(() => parseRatings("1\t2\tgood\t4\n", "u.data")).toThrow(/u\.data:1: rating is not a number/);
    expect(() => parseRatings("1,2,3,4\n1,2,3,4,5,6\n", "r.csv")).toThrow(/r\.csv:2: expected 3 or 4 fields, found more than 4/);
    expect(() => parseRatings("1\t2\t3\tyesterday\n", "f")).toThrow(/timestamp is not a number/);
    expect(() => parseRatings("1\t\t3\t4\n", "f")).toThrow(/empty user or item id/);
  });

  it("rejects empty input and undetectable formats", () => {
    expect(() => parseRatings("", "empty.tsv")).toThrow(RatingsFileError);
    expect(() => parseRatings("\n\n", "blank.tsv")).toThrow(/no ratings/);
    expect(() => parseRatings("1 2 3 4\n", "spaces.txt")).toThrow(/cannot detect the ratings format/);
  });
});

describe("readRatingsFile", () => {
  it("reads a file and reports a missing one clearly", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "matinee-io-"));
    const file = path.join(dir, "u.data");
    fs.writeFileSync(file, "1\t2\t5\t0\n");
    expect(readRatingsFile(file).length).toBe(1);
    expect(() => readRatingsFile(path.join(dir, "missing.data"))).toThrow(/missing\.data: cannot read file \(ENOENT\)/);
    fs.rmSync(dir, { recursive: true });
  });
});
