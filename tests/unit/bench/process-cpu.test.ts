import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { machineCpuMicros, parseProcStat, processCpuMicros } from "@/lib/bench/process";

// bench:api reports each route's CPU per response from the server process's /proc times.
describe("processCpuMicros", () => {
  it.skipIf(process.platform !== "linux")("grows by about the CPU a busy child burns, and is null once it is gone", async () => {
    // a child that spins for ~300 ms of CPU, then waits to be read
    const child = spawn(process.execPath, ["-e", "const t=Date.now(); while (Date.now()-t<300); setTimeout(()=>{}, 10000)"], { stdio: "ignore" });
    try {
      const start = processCpuMicros(child.pid);
      expect(start).not.toBeNull();
      await new Promise((r) => setTimeout(r, 700));
      const spent = processCpuMicros(child.pid)! - start!;
      // at least the 300 ms spin (less whatever it had done by the first read), at most the wall time
      expect(spent).toBeGreaterThan(150_000);
      expect(spent).toBeLessThan(1_500_000);
    } finally {
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
    }
    expect(processCpuMicros(child.pid)).toBeNull();
  });

  it("is null without a pid", () => {
    expect(processCpuMicros(undefined)).toBeNull();
  });
});

// bench:api also reports what the rest of the machine used during the rounds (a disturbed run)
describe("machine CPU from /proc/stat", () => {
  it("reads busy time (user, nice, system, irq, softirq, steal) and steal from the cpu line, in µs", () => {
    const stat = "cpu  100 5 20 9000 40 1 2 3 0 0\ncpu0 50 2 10 4500 20 0 1 2 0 0\nintr 123\n";
    expect(parseProcStat(stat)).toEqual({ busyUs: 1_310_000, stealUs: 30_000 });
    // an old kernel's shorter line: no steal column
    expect(parseProcStat("cpu  100 5 20 9000\n")).toEqual({ busyUs: 1_250_000, stealUs: 0 });
    expect(parseProcStat("intr 1 2 3\n")).toBeNull();
  });

  it.skipIf(process.platform !== "linux")("grows by at least the CPU this process burns", () => {
    const before = machineCpuMicros()!;
    const self = process.cpuUsage();
    const t = Date.now();
    while (Date.now() - t < 200);
    const mine = process.cpuUsage(self);
    const after = machineCpuMicros()!;
    // 10-ms ticks on both sides of the reading
    expect(after.busyUs - before.busyUs).toBeGreaterThan(mine.user + mine.system - 30_000);
    expect(after.stealUs).toBeGreaterThanOrEqual(before.stealUs);
  });
});
