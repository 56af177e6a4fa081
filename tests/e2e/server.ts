import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// Start and stop a production Next server for browser tests: `node .../next start` so the PID we
// keep is the server itself, on a fresh temporary database prepared with the embedded default.
// one state file per port, so two suites on different ports never stop each other's server
export const STATE_FILE = path.join(os.tmpdir(), `matinee-e2e-server-${process.env.E2E_PORT ?? "3217"}.json`);

export async function startServer(port: number): Promise<{ pid: number; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "matinee-e2e-"));
  const env = { ...process.env, DATABASE_PATH: path.join(dir, "e2e.db"), NEXT_TELEMETRY_DISABLED: "1" };
  const prep = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/prepare.ts"], { env, encoding: "utf8" });
  if (prep.status !== 0) throw new Error(`prepare failed:\n${prep.stdout}\n${prep.stderr}`);
  const log = fs.openSync(path.join(dir, "server.log"), "a");
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    // API_RATE_LIMIT: the load test floods /api/recommend from one address (the limit itself is
    // tested in-process: tests/api/ratelimit-public.test.ts)
    env: { ...env, AUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret", NODE_ENV: "production", ADMIN_EMAILS: "admin@e2e.test", API_RATE_LIMIT: "1000000" },
    stdio: ["ignore", log, log],
    detached: false,
  });
  const pid = child.pid!;
  child.unref();
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.ok) return { pid, dir };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // it already exited; the log says why
  }
  throw new Error(`server did not become healthy; log:\n${fs.readFileSync(path.join(dir, "server.log"), "utf8")}`);
}

export function stopServer(state: { pid: number; dir: string }) {
  try {
    process.kill(state.pid, "SIGTERM");
  } catch {
    // already gone
  }
  fs.rmSync(state.dir, { recursive: true, force: true });
}
