import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  addSelfTimes,
  compareRoutes,
  frameLabel,
  monotonicMicros,
  readProfileOf,
  selfTimeByRoute,
  type CpuProfile,
  type RoundWindow,
} from "@/lib/bench/cpu-profile";

// bench:api --cpu-prof gives each sample of the server's profile to the route whose round ran.
const frame = (functionName: string, url = "") => ({ functionName, url, lineNumber: 0, columnNumber: 4 });

// samples at t = 1000 + cumulative deltas: 1010, 1020, 1030, 1050, 1080, 1100, 1130
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame("(idle)") },
    { id: 2, callFrame: frame("handler", "file:///srv/.next/server/chunks/route.js") },
    { id: 3, callFrame: frame("", "node:internal/http") },
  ],
  startTime: 1000,
  samples: [2, 2, 3, 1, 2, 3, 2],
  timeDeltas: [10, 10, 10, 20, 30, 20, 30],
};
const windows: RoundWindow[] = [
  // out of order on purpose: the windows are searched after sorting
  { route: "b", from: 1060, to: 1200 },
  { route: "a", from: 1000, to: 1040 },
];

describe("selfTimeByRoute", () => {
  it("counts each sample for the time to the next one, in the window that holds it", () => {
    const byRoute = selfTimeByRoute(profile, windows);
    // a: samples at 1010 (handler, 10 µs to the next), 1020 (handler, 10), 1030 (node, 20)
    expect(Object.fromEntries(byRoute.get("a")!)).toEqual({ "handler route.js:1:5": 20, "(anonymous) http:1:5": 20 });
    // 1050 falls between the windows and counts for neither; b: 1080 (handler, 20), 1100 (node, 30),
    // 1130 (handler, the last sample: no time after it)
    expect(Object.fromEntries(byRoute.get("b")!)).toEqual({ "handler route.js:1:5": 20, "(anonymous) http:1:5": 30 });
  });

  it("keeps a route whose rounds caught no sample, with nothing in it", () => {
    const byRoute = selfTimeByRoute(profile, [...windows, { route: "c", from: 5000, to: 6000 }]);
    expect(byRoute.get("c")!.size).toBe(0);
  });
});

describe("compareRoutes", () => {
  it("reports busy time per response without idle, and the largest differences first", () => {
    const total = new Map<string, Map<string, number>>();
    addSelfTimes(total, selfTimeByRoute(profile, windows));
    addSelfTimes(total, selfTimeByRoute(profile, windows)); // a second start, the same again
    const out = compareRoutes(total, { a: 4, b: 10 }, "a", "b", 5);
    // a: 80 µs over 4 responses; b: 100 µs over 10 (the idle sample at 1050 was outside both)
    expect(out.busyPerResponse).toEqual({ a: 20, b: 10 });
    expect(out.frames).toEqual([
      { label: "handler route.js:1:5", perResponse: { a: 10, b: 4 } },
      { label: "(anonymous) http:1:5", perResponse: { a: 10, b: 6 } },
    ]);
    expect(compareRoutes(total, { a: 4, b: 10 }, "a", "b", 1).frames).toHaveLength(1);
  });

  it("leaves idle time out of the busy total", () => {
    const idleOnly = selfTimeByRoute({ ...profile, samples: [1, 1, 1, 1, 1, 1, 1] }, windows);
    expect(compareRoutes(idleOnly, { a: 1, b: 1 }, "a", "b", 5)).toEqual({ busyPerResponse: { a: 0, b: 0 }, frames: [] });
  });
});

describe("frameLabel", () => {
  it("names anonymous functions and drops folders; V8's own frames have no file", () => {
    expect(frameLabel({ functionName: "", url: "file:///a/b/c.js", lineNumber: 2, columnNumber: 9 })).toBe("(anonymous) c.js:3:10");
    expect(frameLabel(frame("(garbage collector)"))).toBe("(garbage collector)");
  });
});

// The windows are taken with monotonicMicros() in the benchmark and the samples by V8 in the
// server: this checks the two clocks agree, with a real profile of a real process.
describe("readProfileOf and the profile's clock", () => {
  it("finds the profile a child wrote, and its samples fall between times taken here", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cpu-prof-"));
    try {
      const before = monotonicMicros();
      const child = spawnSync(process.execPath, ["--cpu-prof", "--cpu-prof-dir", dir, "-e", "const t=Date.now(); while (Date.now()-t<200);"]);
      const after = monotonicMicros();
      expect(child.status).toBe(0);
      const read = readProfileOf(dir, child.pid!);
      expect(read.samples.length).toBeGreaterThan(10);
      const busy = selfTimeByRoute(read, [{ route: "child", from: before, to: after }]).get("child")!;
      // nearly all of the ~200 ms spin lands inside the window (a clock mismatch would give 0)
      expect([...busy.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(150_000);
      expect(() => readProfileOf(dir, child.pid! + 1)).toThrow(/no CPU profile/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
