import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

// `npm run <script>` runs the script through tsx's CLI: a parent process and the script's own
// node process, in which tsx registers signal handlers. A handler only runs when the event loop
// does, so a script busy in synchronous code (a model fit, one big import transaction) used to
// ignore `kill` until its work was done. runCli leaves SIGINT/SIGTERM their default action.

function startBusy(): Promise<{ exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; at: number }>; pid: number }> {
  return new Promise((resolve, reject) => {
    const parent = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "tests/unit/cli/fixtures/busy.ts", "6000"], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    parent.stdout.on("data", (d) => (stdout += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; at: number }>((done) =>
      parent.on("close", (code, signal) => done({ code, signal, stdout, at: Date.now() })),
    );
    parent.stderr.on("data", (d) => {
      const busy = /busy (\d+)/.exec(String(d)); // the script's own process (tsx's child), as `kill <pid>` finds it
      if (busy) resolve({ exited, pid: Number(busy[1]) });
    });
    parent.on("error", reject);
  });
}

describe("a script busy in synchronous code", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("ends at once on %s, without finishing its work", async (signal) => {
    const { exited, pid } = await startBusy();
    const sentAt = Date.now();
    process.kill(pid, signal);
    const result = await exited;
    expect(result.stdout).not.toContain("finished");
    expect(result.at - sentAt).toBeLessThan(3_000); // the busy loop had about 6 s left
    expect(result.code === null ? result.signal : result.code).toBe(signal === "SIGTERM" ? 143 : 130);
  }, 20_000);
});
