// Read an interaction log line by line, refusing files that are not UTF-8 text with a message that
// says what the file looks like instead (UTF-16, compressed, binary, Latin-1).
import { isUtf8 } from "node:buffer";
import fs from "node:fs";
import { ApiError } from "@/lib/http/errors";

const CHUNK_BYTES = 1 << 20;
const MAX_LINE_BYTES = 1 << 20;

export type FileLine = { line: number; text: string; bytesRead: number };

function fail(file: string, message: string): never {
  throw new ApiError("unprocessable", `${file}: ${message}`);
}

/** Recognise what a non-text file is from its first bytes, to say so instead of "bad row". */
function sniff(file: string, head: Buffer): void {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    fail(file, "is UTF-16 (or UTF-32) encoded; save it as UTF-8, e.g. `iconv -f UTF-16 -t UTF-8 in.csv > out.csv`");
  }
  if (head[0] === 0x1f && head[1] === 0x8b) fail(file, "is gzip-compressed; decompress it first (`gunzip`)");
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    fail(file, "is a zip archive; extract the ratings file from it first");
  }
  if (head.includes(0)) fail(file, NUL_BYTES);
}

const NUL_BYTES = "contains NUL bytes: it is binary, or UTF-16 without a byte-order mark; expected a UTF-8 text file";

/** Refuse `data` (starting on line `firstLine`) if it holds a NUL byte, naming the line it is on. */
function refuseNul(file: string, data: Buffer, firstLine: number): void {
  const at = data.indexOf(0);
  if (at === -1) return;
  let line = firstLine;
  for (let nl = data.indexOf(0x0a); nl !== -1 && nl < at; nl = data.indexOf(0x0a, nl + 1)) line++;
  fail(file, NUL_BYTES.replace("NUL bytes", `NUL bytes (line ${line})`));
}

/** The 1-based line (counted from `firstLine`) of `part` that is not valid UTF-8. */
function badUtf8Line(part: Buffer, firstLine: number): number {
  let line = firstLine;
  let start = 0;
  for (;;) {
    const nl = part.indexOf(0x0a, start);
    const end = nl === -1 ? part.length : nl;
    if (!isUtf8(part.subarray(start, end))) return line;
    if (nl === -1) return line;
    start = nl + 1;
    line++;
  }
}

/**
 * Lines of a UTF-8 text file (BOM and CRLF handled), read in 1 MB chunks so a large log never sits
 * in memory whole. Throws ApiError(unprocessable) for a missing, empty or non-text file.
 */
export function* readLines(file: string): Generator<FileLine> {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    fail(file, code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : `cannot be read (${code ?? (err as Error).message})`);
  }
  try {
    if (fs.fstatSync(fd).size === 0) fail(file, "is empty");
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let carry = Buffer.alloc(0);
    let bytesRead = 0;
    let line = 0;
    let first = true;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK_BYTES, null);
      let data = n > 0 ? Buffer.concat([carry, buf.subarray(0, n)]) : carry;
      bytesRead += n;
      if (first && n > 0) {
        first = false;
        sniff(file, data.subarray(0, 4096));
        if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) data = data.subarray(3);
      }
      // The whole chunk, not only the sniffed head: a NUL further on would reach the database
      // inside a user id. (The carry was checked with the chunk it came from.)
      if (n > 0) refuseNul(file, data, line + 1);
      // Only complete lines are decoded, so a multi-byte character is never split between chunks.
      const lastNl = n > 0 ? data.lastIndexOf(0x0a) : data.length - 1;
      const complete = n > 0 ? data.subarray(0, lastNl + 1) : data;
      carry = n > 0 ? Buffer.from(data.subarray(lastNl + 1)) : Buffer.alloc(0);
      if (carry.length > MAX_LINE_BYTES) fail(file, `line ${line + 1} is longer than 1 MB: not a line-based text log`);
      if (complete.length > 0) {
        if (!isUtf8(complete)) {
          fail(file, `line ${badUtf8Line(complete, line + 1)} is not valid UTF-8 (Latin-1? convert with \`iconv -f LATIN1 -t UTF-8\`)`);
        }
        const text = complete.toString("utf8");
        const lines = text.split("\n");
        if (text.endsWith("\n")) lines.pop();
        for (const l of lines) {
          line++;
          yield { line, text: l.endsWith("\r") ? l.slice(0, -1) : l, bytesRead };
        }
      }
      if (n === 0) break;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Split one CSV line: commas, double-quoted fields with "" escapes (no multi-line fields). */
export function splitCsvLine(text: string): string[] | null {
  if (!text.includes('"')) return text.split(",");
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) return null; // unterminated quote
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else field += text[i++];
      }
      if (i < text.length && text[i] !== ",") return null;
    } else {
      const next = text.indexOf(",", i);
      field = text.slice(i, next === -1 ? text.length : next);
      i = next === -1 ? text.length : next;
    }
    fields.push(field);
    if (i >= text.length) return fields;
    i++; // the comma
  }
}
