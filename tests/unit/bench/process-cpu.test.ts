import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { processCpuMicros } from "@/lib/bench/process";

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
