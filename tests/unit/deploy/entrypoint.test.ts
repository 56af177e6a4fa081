import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// scripts/docker-entrypoint.sh with stand-ins for the image's prepare.cjs (a long first-start
// prepare) and server.js: a SIGTERM during prepare reaches prepare and ends the container, also
// when the shell is PID 1 (Kubernetes runs no init), where a signal without a handler is ignored.

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "matinee-entrypoint-"));
  fs.copyFileSync(path.resolve("scripts/docker-entrypoint.sh"), path.join(dir, "docker-entrypoint.sh"));
  // a prepare that takes long, and notes the signal it got before it stops
  fs.writeFileSync(
    path.join(dir, "prepare.cjs"),
    `require("node:fs").writeFileSync(${JSON.stringify(path.join(dir, "prepare-started"))}, "");
     process.on("SIGTERM", () => { require("node:fs").writeFileSync(${JSON.stringify(path.join(dir, "prepare-stopped"))}, "SIGTERM"); process.exit(143); });
     setTimeout(() => {}, 60_000);`,
  );
  fs.writeFileSync(path.join(dir, "server.js"), `require("node:fs").writeFileSync(${JSON.stringify(path.join(dir, "server-started"))}, "");`);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const env = { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, DATABASE_PATH: "/tmp/unused.db", AUTH_SECRET: "x".repeat(32) } as unknown as NodeJS.ProcessEnv;

/** The pid `pid` started (unshare's child, the shell that is PID 1 in its namespace). */
function childOf(pid: number): number {
  return Number(fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/)[0]);
}

async function stopDuringPrepare(command: string, args: string[], target: (pid: number) => number = (pid) => pid): Promise<{ code: number | null; ms: number }> {
  for (const f of ["prepare-started", "prepare-stopped", "server-started"]) fs.rmSync(path.join(dir, f), { force: true });
  const child = spawn(command, args, { env, stdio: "ignore" });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : null))));
  for (let i = 0; i < 200 && !fs.existsSync(path.join(dir, "prepare-started")); i++) await new Promise((r) => setTimeout(r, 50));
  const sentAt = Date.now();
  process.kill(target(child.pid!), "SIGTERM");
  const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  return { code, ms: Date.now() - sentAt };
}

describe("the container's entrypoint", () => {
  it("passes a SIGTERM during prepare on to it, stops, and does not start the server", async () => {
    const run = await stopDuringPrepare("sh", [path.join(dir, "docker-entrypoint.sh")]);
    // was: the shell died and left prepare running (or, as PID 1, ignored the signal)
    expect(fs.readFileSync(path.join(dir, "prepare-stopped"), "utf8")).toBe("SIGTERM");
    expect(run.code).toBe(143);
    expect(run.ms).toBeLessThan(5_000);
    expect(fs.existsSync(path.join(dir, "server-started"))).toBe(false);
  });

  // PID 1 in a new PID namespace, as in a pod; needs the rights unshare needs (root here)
  const canUnshare = spawnSync("unshare", ["-fp", "--mount-proc", "true"]).status === 0;
  it.skipIf(!canUnshare)("does so as PID 1 too", async () => {
    const run = await stopDuringPrepare("unshare", ["-fp", "--mount-proc", "sh", path.join(dir, "docker-entrypoint.sh")], childOf);
    expect(fs.readFileSync(path.join(dir, "prepare-stopped"), "utf8")).toBe("SIGTERM");
    expect(run.ms).toBeLessThan(5_000);
    expect(fs.existsSync(path.join(dir, "server-started"))).toBe(false);
  });

  it("starts the server once prepare is done", () => {
    fs.writeFileSync(path.join(dir, "prepare-quick.cjs"), "");
    const script = fs.readFileSync(path.join(dir, "docker-entrypoint.sh"), "utf8").replace("node prepare.cjs &", "node prepare-quick.cjs &");
    fs.writeFileSync(path.join(dir, "entrypoint-quick.sh"), script);
    const res = spawnSync("sh", [path.join(dir, "entrypoint-quick.sh")], { env, encoding: "utf8", timeout: 20_000 });
    expect(res.status, res.stderr).toBe(0);
    expect(fs.existsSync(path.join(dir, "server-started"))).toBe(true);
  });
});
