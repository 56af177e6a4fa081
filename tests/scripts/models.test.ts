import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool, runScript, STACK_FRAME } from "../helpers/run-script";

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
});
