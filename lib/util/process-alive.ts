import fs from "node:fs";

// Is a process that recorded itself in a row (a job's worker, a training shard) still running on
// this host? Rows keep the pid and the host; the pid alone means nothing on another host.

/** Whether a process on this host is alive (a zombie, killed but not yet reaped, counts as dead). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2).charAt(0);
    return state !== "Z" && state !== "X";
  } catch {
    return true; // no /proc (not Linux): trust kill(0)
  }
}

/**
 * When process `pid` started (ms since the epoch), from /proc; null where that cannot be read.
 * Tells a row's own process from a later one that was given the same pid.
 */
function processStartedAt(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const ticks = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]); // field 22: starttime
    const btime = /^btime (\d+)$/m.exec(fs.readFileSync("/proc/stat", "utf8"));
    if (!btime || !Number.isFinite(ticks)) return null;
    return Number(btime[1]) * 1000 + ticks * 10; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/**
 * Is process `pid` of this host, which recorded itself at `recordedAt`, still running: the same
 * process, not a later one given the same pid (that one started after the record)?
 */
export function isRecordedProcessAlive(pid: number, recordedAt: number): boolean {
  if (pid !== process.pid && !isProcessAlive(pid)) return false;
  const started = processStartedAt(pid);
  // /proc's boot time has whole seconds: allow for it
  return started === null || started <= recordedAt + 2_000;
}
