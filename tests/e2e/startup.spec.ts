import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { freePort } from "../helpers/pg-server";
import { exited } from "./process";

// The production server checks its environment when it starts (instrumentation.ts): an invalid
// variable, or a DATABASE_PATH in a folder that does not exist, stops it with the scripts' one line
// and exit 2, instead of a server that answers every request with a 500 (or a 503 forever).

for (const [label, bad] of [
  ["an invalid variable", { API_RATE_LIMIT: "abc" }],
  ["a DATABASE_PATH in a mistyped folder", { DATABASE_PATH: path.join(os.tmpdir(), "matinee-no-such-folder", "x.db") }],
  // it started and said it was healthy, and every sign-in was a 500 (EnvError in each request)
  ["no AUTH_SECRET in production", { AUTH_SECRET: "" }],
] as const) {
  test(`next start with ${label} exits 2 with one line`, async () => {
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "matinee-startup-"));
    const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
      env: { ...process.env, NODE_ENV: "production", AUTH_SECRET: "startup-secret-startup-secret-x", DATABASE_PATH: path.join(dir, "ok.db"), DATABASE_URL: "", ...bad },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    try {
      expect(await exited(child, 30_000), "the server kept running").toBe(true);
      expect(child.exitCode).toBe(2);
      const errors = stderr.split("\n").filter((l) => l.startsWith("error: "));
      expect(errors, stderr).toHaveLength(1);
      expect(errors[0]).toMatch(new RegExp(`^error: invalid environment: ${Object.keys(bad)[0]}: `));
      expect(stderr).not.toMatch(/^\s+at /m);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
