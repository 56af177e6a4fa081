import fs from "node:fs";
import { Worker } from "node:worker_threads";

// `npm run train` runs the script as npm → sh -c → tsx → node. A SIGTERM sent to npm (what a
// supervisor or a shell script sends to the pid it started) or to its shell kills only that one
// process: npm does not pass it on, and the script, re-parented, ran to the end (a killed training
// run still promoted its model; `npm start` kept serving on its port). So a script started by npm
// watches the processes between itself and npm from a thread of its own (the main thread may be in
// minutes of synchronous work, a model fit) and, when one of them is gone, sends itself the SIGTERM
// that did not reach it: the script then stops exactly as if it had (stopAtOnceOnSignals; npm
// start's supervisor stops its server).

/** How far up npm is looked for: node → tsx → sh → npm. */
const MAX_DEPTH = 5;

export type ProcInfo = { ppid: number; comm: string };

/** A process's parent pid and name from /proc (Linux); null when it cannot be read. */
export function readProc(pid: number): ProcInfo | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = stat.lastIndexOf(")");
    return { ppid: Number(stat.slice(close + 2).split(" ")[1]), comm: stat.slice(stat.indexOf("(") + 1, close) };
  } catch {
    return null;
  }
}

/** What may stand between npm and the script: npm's shell and tsx's CLI (a node process). */
const BETWEEN = /^(sh|dash|bash|zsh|node|tsx)$/;

/**
 * The pids from `parent` up to and including the npm process that started this script (npm names
 * its process after the command: "npm run train", "npm start", "npm exec"), through shells and
 * node processes only; [] when there is none (a script run with node or tsx directly, a
 * container's entrypoint, a job worker the app server started: its parent is "next-server").
 */
export function launcherChain(parent: number, read: (pid: number) => ProcInfo | null = readProc): number[] {
  const chain: number[] = [];
  for (let pid = parent, depth = 0; pid > 1 && depth < MAX_DEPTH; depth++) {
    const info = read(pid);
    if (!info) return [];
    chain.push(pid);
    if (/^npm( |$)/.test(info.comm)) return chain;
    if (!BETWEEN.test(info.comm)) return [];
    pid = info.ppid;
  }
  return [];
}

const WATCH_SOURCE = `
const { workerData } = require("node:worker_threads");
const fs = require("node:fs");
const { pids, self, pollMs } = workerData;
// alive: signal 0 succeeds and /proc does not show a zombie (killed, not yet reaped)
const alive = (pid) => {
  try { process.kill(pid, 0); } catch (err) { return err.code === "EPERM"; }
  try {
    const stat = fs.readFileSync("/proc/" + pid + "/stat", "utf8");
    const state = stat.charAt(stat.lastIndexOf(")") + 2);
    return state !== "Z" && state !== "X";
  } catch { return false; }
};
const timer = setInterval(() => {
  if (pids.every(alive)) return;
  clearInterval(timer);
  process.kill(self, "SIGTERM");
}, pollMs);
`;

/**
 * When this script was started by npm, stop it (SIGTERM to itself) once npm or a process between
 * them is gone. The thread never keeps the process alive. Returns the watched pids ([] when none).
 */
export function stopWhenLauncherGone(options: { pollMs?: number } = {}): number[] {
  if (!process.env.npm_lifecycle_event) return [];
  const pids = launcherChain(process.ppid);
  if (pids.length === 0) return [];
  const worker = new Worker(WATCH_SOURCE, { eval: true, workerData: { pids, self: process.pid, pollMs: options.pollMs ?? 1000 } });
  worker.unref();
  worker.on("error", () => {}); // a watch that cannot run leaves the script as it was
  return pids;
}
