// Reading a V8 CPU profile (`node --cpu-prof`) of a server that served several routes in turns:
// each sample is given to the route whose round was running when it was taken, so one profile of
// one server start says where each route's time went, under the same JIT state for both.
import fs from "node:fs";
import path from "node:path";
import { CliError } from "@/lib/cli";

export type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
export type CpuProfile = {
  nodes: { id: number; callFrame: CallFrame }[];
  /** µs on the monotonic clock (`process.hrtime` on Linux) */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
};
/** A round of one route, in µs on the same clock as the profile. */
export type RoundWindow = { route: string; from: number; to: number };

/** The frame V8 puts in every profile for time the thread waited. */
const IDLE_FRAME = "(idle)";

/**
 * A function as a short label: its name, and the file (without folders), line and column where it
 * starts (bundled code puts many functions on one line).
 */
export function frameLabel(frame: CallFrame): string {
  const file = frame.url.slice(frame.url.lastIndexOf("/") + 1);
  return `${frame.functionName || "(anonymous)"}${file ? ` ${file}:${frame.lineNumber + 1}:${frame.columnNumber + 1}` : ""}`;
}

/**
 * Self time (µs) per function label, per route: a sample counts for the time until the next one,
 * and for the route whose window holds it; samples outside every window are left out.
 */
export function selfTimeByRoute(profile: CpuProfile, windows: readonly RoundWindow[]): Map<string, Map<string, number>> {
  const labels = new Map(profile.nodes.map((n) => [n.id, frameLabel(n.callFrame)]));
  const sorted = [...windows].sort((a, b) => a.from - b.from);
  const out = new Map<string, Map<string, number>>();
  for (const w of sorted) if (!out.has(w.route)) out.set(w.route, new Map());
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    const window = windowAt(sorted, at);
    if (!window) continue;
    const label = labels.get(profile.samples[i]) ?? "(unknown)";
    const byLabel = out.get(window.route)!;
    byLabel.set(label, (byLabel.get(label) ?? 0) + Math.max(0, profile.timeDeltas[i + 1] ?? 0));
  }
  return out;
}

/** The window holding time `t` (binary search over windows sorted by start), if any. */
function windowAt(sorted: readonly RoundWindow[], t: number): RoundWindow | undefined {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].from > t) hi = mid - 1;
    else if (sorted[mid].to <= t) lo = mid + 1;
    else return sorted[mid];
  }
  return undefined;
}

/** Adds one profile's self times into running totals. */
export function addSelfTimes(total: Map<string, Map<string, number>>, more: Map<string, Map<string, number>>): void {
  for (const [route, byLabel] of more) {
    const into = total.get(route) ?? new Map<string, number>();
    for (const [label, us] of byLabel) into.set(label, (into.get(label) ?? 0) + us);
    total.set(route, into);
  }
}

export type FrameCost = { label: string; perResponse: Record<string, number> };

/**
 * Per response of each route: the JavaScript thread's busy time (everything but idle), and the
 * functions whose self time differs most between route `a` and route `b`, largest first.
 */
export function compareRoutes(
  selfTimes: Map<string, Map<string, number>>,
  responses: Record<string, number>,
  a: string,
  b: string,
  top: number,
): { busyPerResponse: Record<string, number>; frames: FrameCost[] } {
  const per = (route: string, us: number) => (responses[route] > 0 ? us / responses[route] : 0);
  const busyPerResponse: Record<string, number> = {};
  for (const [route, byLabel] of selfTimes) {
    let busy = 0;
    for (const [label, us] of byLabel) if (label !== IDLE_FRAME) busy += us;
    busyPerResponse[route] = per(route, busy);
  }
  const labels = new Set<string>();
  for (const byLabel of selfTimes.values()) for (const label of byLabel.keys()) if (label !== IDLE_FRAME) labels.add(label);
  const frames = [...labels].map((label) => ({
    label,
    perResponse: Object.fromEntries([...selfTimes].map(([route, byLabel]) => [route, per(route, byLabel.get(label) ?? 0)])),
  }));
  const diff = (f: FrameCost) => Math.abs((f.perResponse[a] ?? 0) - (f.perResponse[b] ?? 0));
  frames.sort((x, y) => diff(y) - diff(x) || x.label.localeCompare(y.label));
  return { busyPerResponse, frames: frames.slice(0, top) };
}

/** The profile `node --cpu-prof --cpu-prof-dir dir` wrote for process `pid`, parsed. */
export function readProfileOf(dir: string, pid: number): CpuProfile {
  // the newest, should an earlier process with the same pid have left one in the same folder (the
  // names start with the date and time)
  const name = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile") && f.split(".").includes(String(pid)))
    .sort()
    .at(-1);
  if (!name) throw new CliError(`no CPU profile of process ${pid} in ${dir} (did the server exit before writing it?)`);
  return JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as CpuProfile;
}

/** Now on the clock V8's profiles use (the monotonic clock, in µs). */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}
