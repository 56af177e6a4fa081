import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launcherChain, type ProcInfo } from "@/lib/cli/launcher";
import { isProcessAlive } from "@/lib/util/process-alive";

describe("launcherChain", () => {
  const tree = (procs: Record<number, ProcInfo>) => (pid: number) => procs[pid] ?? null;

  it("climbs from the parent through npm's shell and tsx's CLI to npm", () => {
    const read = tree({ 40: { ppid: 30, comm: "node" }, 30: { ppid: 20, comm: "sh" }, 20: { ppid: 10, comm: "npm run train" }, 10: { ppid: 1, comm: "bash" } });
    expect(launcherChain(40, read)).toEqual([40, 30, 20]);
    expect(launcherChain(20, read)).toEqual([20]);
    expect(launcherChain(50, tree({ 50: { ppid: 1, comm: "npm start" } }))).toEqual([50]);
  });

  it("watches nothing without npm above, past anything but a shell or node, or when /proc cannot be read", () => {
    // run with node or tsx from a shell
    expect(launcherChain(30, tree({ 30: { ppid: 20, comm: "bash" }, 20: { ppid: 1, comm: "sshd" } }))).toEqual([]);
    // a job worker the app server launched, the app started by npm start: the server may go, the job goes on
    const read = tree({ 60: { ppid: 50, comm: "next-server (v16.4.5)" }, 50: { ppid: 40, comm: "node" }, 40: { ppid: 30, comm: "sh" }, 30: { ppid: 1, comm: "npm start" } });
    expect(launcherChain(60, read)).toEqual([]);
    // "npmx" is not npm
    expect(launcherChain(70, tree({ 70: { ppid: 1, comm: "npmx" } }))).toEqual([]);
    expect(launcherChain(80, tree({}))).toEqual([]);
    // too deep to be npm's own script
    const deep = tree({ 9: { ppid: 8, comm: "sh" }, 8: { ppid: 7, comm: "sh" }, 7: { ppid: 6, comm: "sh" }, 6: { ppid: 5, comm: "sh" }, 5: { ppid: 4, comm: "sh" }, 4: { ppid: 1, comm: "npm run x" } });
    expect(launcherChain(9, deep)).toEqual([]);
  });
});

// The real thing: `npm run <script>` whose command is `cd <repo> && node --import tsx <fixture>`
// (npm → sh → node, as npm runs every script), and a SIGTERM to npm's pid only.
describe.skipIf(process.platform !== "linux")("a script started by npm, when npm alone is killed", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "matinee-launcher-"));
    const run = (fixture: string, ...args: string[]) => `cd ${JSON.stringify(process.cwd())} && node --import tsx tests/unit/cli/fixtures/${fixture} ${args.join(" ")}`;
    const scripts = { busy: run("busy.ts", "15000"), supervised: run("supervised.ts") };
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "launcher-test", version: "1.0.0", private: true, scripts }));
  });
  const started: number[] = [];
  afterAll(() => {
    // a failing run leaves them behind: that is the defect
    for (const pid of started) if (isProcessAlive(pid)) process.kill(pid, "SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function start(script: string, ready: RegExp) {
    const npm = spawn("npm", ["run", "--silent", script], { cwd: dir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_update_notifier: "false" } });
    let stdout = "";
    let stderr = "";
    npm.stdout.on("data", (d) => (stdout += d));
    const pids = new Promise<number[]>((resolve, reject) => {
      npm.stderr.on("data", (d) => {
        stderr += d;
        const m = ready.exec(stderr);
        if (m) {
          const found = m.slice(1).map(Number);
          started.push(...found);
          resolve(found);
        }
      });
      npm.on("exit", () => reject(new Error(`npm exited first: ${stderr}`)));
    });
    return { npm, pids, out: () => stdout };
  }

  async function gone(pids: number[], withinMs: number): Promise<boolean> {
    const until = Date.now() + withinMs;
    while (Date.now() < until) {
      if (pids.every((p) => !isProcessAlive(p))) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  }

  it("a script busy in synchronous code stops within seconds instead of running to the end", async () => {
    const { npm, pids, out } = start("busy", /busy (\d+)/);
    const [script] = await pids;
    npm.kill("SIGTERM");
    expect(await gone([script], 5_000)).toBe(true); // its work had ~15 s left
    expect(out()).not.toContain("finished");
  }, 30_000);

  it("npm start's supervisor stops its server too (it kept serving, orphaned, on its port)", async () => {
    const { npm, pids, out } = start("supervised", /supervising (\d+) (\d+)/);
    const [script, server] = await pids;
    npm.kill("SIGTERM");
    expect(await gone([script, server], 5_000)).toBe(true);
    expect(out()).toContain("stopped cleanly");
  }, 30_000);
});
