import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModelVersion } from "@/lib/mlops/registry";
import { pool, runScript, STACK_FRAME } from "../helpers/run-script";
import { useTempDb } from "../helpers/temp-db";

// `npm run models` argument handling. The CLI fuzz (tests/reliability/cli-fuzz.test.ts) also runs
// it against a database: promote of a missing version, rollback with nothing to roll back to.

let dir: string;
let env: Record<string, string | undefined>;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "matinee-models-"));
  env = { DATABASE_PATH: path.join(dir, "matinee.db"), DATABASE_URL: undefined };
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("npm run models", () => {
  it("a bad promote ID is named as such, not as an unknown command", async () => {
    const cases: [string[], RegExp][] = [
      [["promote", "abc"], /^error: promote abc: ID must be a positive whole number/],
      [["promote", "0"], /^error: promote 0: ID must be a positive whole number/],
      [["promote", "-3"], /^error: promote -3: ID must be a positive whole number/],
      [["promote"], /^error: promote needs a version ID$/],
      [["promote", "1", "2"], /^error: unknown command: promote 1 2$/],
    ];
    const runs = await pool(cases.map(([args]) => () => runScript("models.ts", args, { env })));
    runs.forEach((run, i) => {
      const [args, message] = cases[i];
      expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(2);
      expect(run.stderr.split("\n")[0]).toMatch(message);
      expect(run.stderr).not.toMatch(STACK_FRAME);
    });
    expect(fs.readdirSync(dir)).toEqual([]); // refused before opening the database
  });

  it("list shows every version, past the API's page of 100", async () => {
    const db = useTempDb();
    try {
      for (let i = 0; i < 105; i++) await createModelVersion({ algorithm: i % 2 ? "ease" : "popularity", params: {} });
      const run = await runScript("models.ts", ["list"], { env: { DATABASE_PATH: db.file, DATABASE_URL: undefined } });
      expect(run.code, run.stderr).toBe(0);
      const ids = run.stdout
        .split("\n")
        .map((line) => /^\s{2}(\d+)\s/.exec(line)?.[1])
        .filter((id) => id !== undefined)
        .map(Number);
      expect(ids).toEqual(Array.from({ length: 105 }, (_, i) => 105 - i));
      expect(run.stdout).toMatch(/nothing serves yet/);
    } finally {
      await db.cleanup();
    }
  });
});
