// Reading rating files (MovieLens u.data / ratings.csv / ratings.dat) into columnar typed arrays.
// Parses bytes directly: a 20M-line file becomes a handful of typed arrays, never one object per line.
import fs from "node:fs";

export type RatingsFormat = "tsv" | "csv" | "dat";

/** One row per rating line, in file order. `users`/`items` are codes into `userIds`/`itemIds`. */
export interface RatingsTable {
  format: RatingsFormat;
  length: number;
  users: Int32Array;
  items: Int32Array;
  ratings: Float32Array;
  /** NaN where the file has no timestamp column. */
  timestamps: Float64Array;
  /** External ids exactly as written in the file, indexed by code (codes follow first appearance). */
  userIds: string[];
  itemIds: string[];
}

/** A file that cannot be read as ratings; the message names the file and line. */
export class RatingsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RatingsFileError";
  }
}

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const COMMA = 44;
const COLON = 58;

const FORMAT_HELP: Record<RatingsFormat, string> = {
  tsv: 'tab-separated "user item rating [timestamp]"',
  csv: 'comma-separated "userId,movieId,rating[,timestamp]"',
  dat: '"user::item::rating[::timestamp]"',
};

/** Read a MovieLens-style ratings file. The format is detected from the first non-empty line. */
export function readRatingsFile(path: string): RatingsTable {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RatingsFileError(`${path}: cannot read file${code ? ` (${code})` : ""}`);
  }
  return parseRatings(bytes, path);
}

/**
 * Parse ratings from bytes or text. Formats: u.data (tabs), ratings.csv (commas, optional header
 * `userId,movieId,rating,timestamp`), ratings.dat (`::`). Blank lines are skipped; anything else that
 * is not `user item rating [timestamp]` with a numeric rating is an error naming the line.
 */
export function parseRatings(input: Uint8Array | string, source = "input"): RatingsTable {
  const buf = typeof input === "string" ? Buffer.from(input, "utf8") : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const end = buf.length;

  let lineCount = 1;
  for (let p = buf.indexOf(LF); p !== -1; p = buf.indexOf(LF, p + 1)) lineCount++;

  const users = new Int32Array(lineCount);
  const items = new Int32Array(lineCount);
  const ratings = new Float32Array(lineCount);
  const timestamps = new Float64Array(lineCount);
  const userCodes = new IdCoder();
  const itemCodes = new IdCoder();

  let format: RatingsFormat | null = null;
  let sep = 0;
  let n = 0;
  let lineNo = 0;
  const starts = [0, 0, 0, 0, 0];
  const ends = [0, 0, 0, 0, 0];

  let pos = 0;
  while (pos < end) {
    let eol = buf.indexOf(LF, pos);
    if (eol === -1) eol = end;
    lineNo++;
    let lineEnd = eol;
    if (lineEnd > pos && buf[lineEnd - 1] === CR) lineEnd--;
    const lineStart = pos;
    pos = eol + 1;
    if (isBlank(buf, lineStart, lineEnd)) continue;

    if (format === null) {
      format = detectFormat(buf, lineStart, lineEnd);
      sep = format === "tsv" ? TAB : format === "csv" ? COMMA : COLON;
      if (format === "csv" && isCsvHeader(buf, lineStart, lineEnd)) continue;
    }

    // Split into at most 5 fields (4 expected; a 5th means too many columns).
    let fields = 0;
    let s = lineStart;
    for (let p = lineStart; p <= lineEnd && fields < 5; p++) {
      if (p === lineEnd || buf[p] === sep) {
        starts[fields] = s;
        ends[fields] = p;
        fields++;
        if (format === "dat" && p < lineEnd) {
          if (buf[p + 1] !== COLON) throw lineError(source, lineNo, format, buf, lineStart, lineEnd, 'expected "::" between fields');
          p++;
        }
        s = p + 1;
      }
    }
    if (fields < 3 || fields > 4) {
      throw lineError(source, lineNo, format, buf, lineStart, lineEnd, `expected 3 or 4 fields, found ${fields > 4 ? "more than 4" : fields}`);
    }
    const us = trimStart(buf, starts[0], ends[0]);
    const ue = trimEnd(buf, us, ends[0]);
    const is = trimStart(buf, starts[1], ends[1]);
    const ie = trimEnd(buf, is, ends[1]);
    if (ue === us || ie === is) throw lineError(source, lineNo, format, buf, lineStart, lineEnd, "empty user or item id");
    const rating = parseNumber(buf, starts[2], ends[2]);
    if (Number.isNaN(rating)) throw lineError(source, lineNo, format, buf, lineStart, lineEnd, "rating is not a number");
    let ts = NaN;
    if (fields === 4) {
      ts = parseNumber(buf, starts[3], ends[3]);
      if (Number.isNaN(ts)) throw lineError(source, lineNo, format, buf, lineStart, lineEnd, "timestamp is not a number");
    }
    users[n] = userCodes.code(buf, us, ue);
    items[n] = itemCodes.code(buf, is, ie);
    ratings[n] = rating;
    timestamps[n] = ts;
    n++;
  }
  if (n === 0) throw new RatingsFileError(`${source}: no ratings found (empty file?)`);
  return {
    format: format!,
    length: n,
    users: users.slice(0, n),
    items: items.slice(0, n),
    ratings: ratings.slice(0, n),
    timestamps: timestamps.slice(0, n),
    userIds: userCodes.ids,
    itemIds: itemCodes.ids,
  };
}

function detectFormat(buf: Buffer, start: number, end: number): RatingsFormat {
  for (let p = start; p < end; p++) {
    const c = buf[p];
    if (c === TAB) return "tsv";
    if (c === COMMA) return "csv";
    if (c === COLON && buf[p + 1] === COLON) return "dat";
  }
  const line = buf.toString("utf8", start, Math.min(end, start + 80));
  throw new RatingsFileError(
    `cannot detect the ratings format from the first line "${line}": expected u.data (tab-separated), ratings.csv (comma-separated) or ratings.dat ("::")`,
  );
}

/** A csv header is a first line whose rating column is not a number (e.g. `userId,movieId,rating,timestamp`). */
function isCsvHeader(buf: Buffer, start: number, end: number): boolean {
  const fields = buf.toString("utf8", start, end).split(",");
  return fields.length >= 3 && Number.isNaN(Number(fields[2].trim()));
}

function isBlank(buf: Buffer, start: number, end: number): boolean {
  for (let p = start; p < end; p++) {
    const c = buf[p];
    if (c !== SPACE && c !== TAB && c !== CR) return false;
  }
  return true;
}

function trimStart(buf: Buffer, start: number, end: number): number {
  while (start < end && buf[start] === SPACE) start++;
  return start;
}

function trimEnd(buf: Buffer, start: number, end: number): number {
  while (end > start && buf[end - 1] === SPACE) end--;
  return end;
}

/** Fast path for plain decimals ("4", "3.5", "-1"); anything else goes through Number(). NaN if not numeric. */
function parseNumber(buf: Buffer, start: number, end: number): number {
  start = trimStart(buf, start, end);
  end = trimEnd(buf, start, end);
  if (start === end) return NaN;
  let p = start;
  let neg = false;
  if (buf[p] === 45) {
    neg = true;
    p++;
  }
  let value = 0;
  let digits = 0;
  while (p < end && buf[p] >= 48 && buf[p] <= 57) {
    value = value * 10 + (buf[p] - 48);
    p++;
    digits++;
  }
  if (p < end && buf[p] === 46) {
    p++;
    let scale = 0.1;
    while (p < end && buf[p] >= 48 && buf[p] <= 57) {
      value += (buf[p] - 48) * scale;
      scale /= 10;
      p++;
      digits++;
    }
  }
  if (p === end && digits > 0 && digits <= 15) return neg ? -value : value;
  const text = buf.toString("utf8", start, end);
  return text.trim() === "" ? NaN : Number(text);
}

/** Maps id tokens to dense codes without allocating a string per line for plain integer ids. */
class IdCoder {
  readonly ids: string[] = [];
  private readonly numeric = new Map<number, number>();
  private readonly other = new Map<string, number>();

  code(buf: Buffer, start: number, end: number): number {
    // Canonical non-negative integers (no sign, no leading zero) up to 15 digits key by number.
    const len = end - start;
    if (len <= 15 && (buf[start] !== 48 || len === 1)) {
      let v = 0;
      let p = start;
      for (; p < end; p++) {
        const c = buf[p];
        if (c < 48 || c > 57) break;
        v = v * 10 + (c - 48);
      }
      if (p === end) {
        let code = this.numeric.get(v);
        if (code === undefined) {
          code = this.ids.length;
          this.ids.push(String(v));
          this.numeric.set(v, code);
        }
        return code;
      }
    }
    const key = buf.toString("utf8", start, end);
    let code = this.other.get(key);
    if (code === undefined) {
      code = this.ids.length;
      this.ids.push(key);
      this.other.set(key, code);
    }
    return code;
  }
}

function lineError(
  source: string,
  lineNo: number,
  format: RatingsFormat,
  buf: Buffer,
  start: number,
  end: number,
  problem: string,
): RatingsFileError {
  const text = buf.toString("utf8", start, Math.min(end, start + 80)).replace(/\t/g, "\\t");
  return new RatingsFileError(`${source}:${lineNo}: ${problem} (expected ${FORMAT_HELP[format]}): "${text}"`);
}
