import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readLines } from "@/lib/interactions/import-file";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "matinee-lines-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, data: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, data);
  return file;
}

const texts = (file: string) => [...readLines(file)].map((l) => l.text);

describe("readLines", () => {
  it("strips a UTF-8 BOM and CRLF, keeps blank lines, tolerates a missing final newline", () => {
    const file = write("crlf.csv", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("a,b\r\n\r\nc,d")]));
    expect([...readLines(file)].map((l) => [l.line, l.text])).toEqual([
      [1, "a,b"],
      [2, ""],
      [3, "c,d"],
    ]);
  });

  it("keeps multi-byte characters that straddle the 1 MB read boundary intact", () => {
    const filler = "x".repeat((1 << 20) - 2);
    const file = write("big.csv", `${filler}\n€uro\n`);
    expect(texts(file)[1]).toBe("€uro");
  });

  it("names the problem for files that are not UTF-8 text", () => {
    expect(() => texts(write("empty.csv", ""))).toThrow(/is empty/);
    expect(() => texts(path.join(dir, "missing.csv"))).toThrow(/no such file/);
    expect(() => texts(write("utf16.csv", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("a,b\n", "utf16le")])))).toThrow(/UTF-16/);
    expect(() => texts(write("utf16-nobom.csv", Buffer.from("user_id,tmdb_id\n", "utf16le")))).toThrow(/NUL bytes/);
    expect(() => texts(write("data.gz", Buffer.from([0x1f, 0x8b, 8, 0, 0, 0])))).toThrow(/gzip/);
    expect(() => texts(write("data.zip", Buffer.from("PK\x03\x04rest", "latin1")))).toThrow(/zip archive/);
    expect(() => texts(write("latin1.csv", Buffer.from("a,b\nJos\xe9,1\n", "latin1")))).toThrow(/line 2 is not valid UTF-8/);
  });

  it("refuses a NUL byte anywhere in the file, not only in the first 4 KB, naming its line", () => {
    const good = Array.from({ length: 200 }, (_, i) => `u${i},11,4,,1600000000`).join("\n");
    const header = "user_id,tmdb_id,rating,watch_seconds,timestamp";
    const nulMessage = (line: number) => new RegExp(`contains NUL bytes \\(line ${line}\\): it is binary, or UTF-16 without a byte-order mark; expected a UTF-8 text file$`);
    // past the sniffed head, in the first 1 MB chunk (it used to import the row, NUL and all)
    const afterHead = write("nul-after-head.csv", `${header}\n${good}\nevil\u0000user,12,5,,1600000000\n`);
    expect(fs.statSync(afterHead).size).toBeGreaterThan(4096);
    expect(() => texts(afterHead)).toThrow(nulMessage(202));
    // in a later chunk, and at the very end of the file
    const filler = Array.from({ length: 60_000 }, (_, i) => `u${i},11,4,,1600000000`).join("\n");
    const later = write("nul-later-chunk.csv", `${header}\n${filler}\nx\u0000,1,1,,1\n`);
    expect(fs.statSync(later).size).toBeGreaterThan(1 << 20);
    expect(() => texts(later)).toThrow(nulMessage(60_002));
    expect(() => texts(write("nul-last-byte.csv", `${header}\n${good}\u0000`))).toThrow(nulMessage(201));
  });
});
