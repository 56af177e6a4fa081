import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { CliError } from "@/lib/cli";

// What the benchmark scripts share: timing a child process (wall clock and peak RSS from GNU
// time), another process's CPU time, the load average they record next to every number, and
// waiting for a server to be ready.

export type Timed = { status: number | null; wallSeconds: number; peakRssMB: number; stdout: string; stderr: string };

/** Run a command under GNU time -v; wall clock and peak RSS (largest process of the tree) from its report. */
export function timed(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Timed {
  const res = spawnSync("/usr/bin/time", ["-v", cmd, ...args], { env: opts.env ?? process.env, cwd: opts.cwd, encoding: "utf8", maxBuffer: 64 << 20 });
  return parseTime(res.status, res.stdout, res.stderr);
}

function parseTime(status: number | null, stdout: string, stderr: string): Timed {
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  return {
    status,
    wallSeconds: wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN,
    peakRssMB: rss ? Math.round(Number(rss[1]) / 1024) : NaN,
    stdout,
    stderr,
  };
}

/** `timed`, without blocking: for processes that must run at the same time (training shards). */
export function timedAsync(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const child = spawn("/usr/bin/time", ["-v", cmd, ...args], { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve(parseTime(code, stdout, stderr)));
  });
}

/** The 1, 5 and 15 minute load averages, rounded to 2 decimals. */
export const loadAverage = () => os.loadavg().map((x) => Math.round(x * 100) / 100);

/** Poll `${base}/api/health/ready` until it answers 2xx. */
export async function waitReady(base: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/api/health/ready`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new CliError("the server did not become ready in time");
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on every Linux this runs on). */
const USER_HZ = 100;

/**
 * A running process's CPU time so far (user + system, every thread), in microseconds, from
 * /proc/<pid>/stat; null where there is no /proc (not Linux) or the process is gone. 10-ms ticks,
 * so read it over seconds, not per request.
 */
export function processCpuMicros(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) / USER_HZ) * 1e6;
  } catch {
    return null;
  }
}

/** The whole machine's CPU time so far, in microseconds summed over its cores: busy (steal included) and steal alone. */
export type MachineCpu = { busyUs: number; stealUs: number };

/**
 * The first line of /proc/stat ("cpu  user nice system idle iowait irq softirq steal guest
 * guest_nice", in ticks) as busy and steal time. Guest time is already inside user and nice.
 */
export function parseProcStat(text: string): MachineCpu | null {
  const line = /^cpu\s+([\d ]+)$/m.exec(text)?.[1];
  if (!line) return null;
  const [user, nice, system, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).map(Number);
  if (![user, nice, system].every(Number.isFinite)) return null;
  const us = (ticks: number) => (ticks / USER_HZ) * 1e6;
  return { busyUs: us(user + nice + system + irq + softirq + steal), stealUs: us(steal) };
}

/** `parseProcStat` of this machine now; null where there is no /proc. */
export function machineCpuMicros(): MachineCpu | null {
  try {
    return parseProcStat(fs.readFileSync("/proc/stat", "utf8"));
  } catch {
    return null;
  }
}
