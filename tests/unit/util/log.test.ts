import { afterEach, describe, expect, it, vi } from "vitest";
import { describeError, logError } from "@/lib/util/log";

// Each failure is one line in the server's log, so a line-based collector keeps it as one event.

afterEach(() => vi.restoreAllMocks());

function thrownFrom(): Error {
  function inner(): never {
    throw new TypeError("bad\nthing");
  }
  try {
    inner();
  } catch (err) {
    return err as Error;
  }
  throw new Error("unreachable");
}

describe("logError", () => {
  it("writes an error, its stack frames and its cause as one line", () => {
    const printed = vi.spyOn(console, "error").mockImplementation(() => {});
    const cause = Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
    const err = new Error("could not save", { cause });
    logError("[req-1] unhandled error in /api/x", err);
    expect(printed).toHaveBeenCalledTimes(1);
    expect(printed.mock.calls[0]).toHaveLength(1);
    const line = String(printed.mock.calls[0][0]);
    expect(line).not.toContain("\n");
    expect(line).toMatch(/^\[req-1\] unhandled error in \/api\/x: Error: could not save \[at .*log\.test\.ts/);
    expect(line).toContain("(cause: Error: database is locked (code SQLITE_BUSY) [at ");
  });
});

describe("describeError", () => {
  it("keeps the name and the message, with its line breaks as spaces, and the innermost frame first", () => {
    const text = describeError(thrownFrom());
    expect(text).toMatch(/^TypeError: bad thing \[at inner \(/);
    expect(text).not.toMatch(/[\n\r]/);
  });

  it("cuts a deep stack after six frames", () => {
    const err = new Error("deep");
    err.stack = ["Error: deep", ...Array.from({ length: 10 }, (_, i) => `    at f${i} (x.js:${i}:1)`)].join("\n");
    expect(describeError(err)).toBe("Error: deep [at f0 (x.js:0:1) < at f1 (x.js:1:1) < at f2 (x.js:2:1) < at f3 (x.js:3:1) < at f4 (x.js:4:1) < at f5 (x.js:5:1) < …]");
  });

  it("describes what is not an Error as text, on one line", () => {
    expect(describeError("plain\nstring")).toBe("plain string");
    expect(describeError({ toString: () => "odd" })).toBe("odd");
    expect(describeError(Object.create(null))).toBe("[object Object]");
  });

  it("stops following causes after three", () => {
    let err = new Error("e0");
    for (let i = 1; i <= 5; i++) err = new Error(`e${i}`, { cause: err });
    const text = describeError(err);
    expect(text).toContain("e2");
    expect(text).not.toContain("e1");
  });
});
