import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { emptyDatabaseEnv } from "../../helpers/temp-db";

// `npm run --silent runs | head -3`: the reader goes away and the script's next write fails with
// EPIPE. Node ignores SIGPIPE and raised the failure as an unhandled `error` event: a stack trace
// on the terminal and exit 1. runCli ends such a script as SIGPIPE ends a Unix tool.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "matinee-epipe-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("a script whose output's reader has gone", () => {
  it("ends quietly with 141 (128 + SIGPIPE), no stack trace", () => {
    // `true` exits without reading, long before the script (tsx takes ~1 s to start) writes its line
    const res = spawnSync("bash", ["-c", 'node --import tsx scripts/runs.ts | true; echo "exit ${PIPESTATUS[0]}"'], {
      env: { ...process.env, ...emptyDatabaseEnv(dir) },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(res.stdout.trim()).toBe("exit 141");
    expect(res.stderr).toBe("");
  }, 70_000);
});
