import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool, runScript, STACK_FRAME, type ScriptRun } from "../helpers/run-script";

// A DATABASE_PATH that SQLite cannot use must stop a script with one line naming the variable and
// what is wrong with it, not SQLite's "unable to open database file" and a stack trace.

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "matinee-dbpath-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Read-only and writing commands alike: each opens the database before doing anything else.
const COMMANDS: [string, string[]][] = [
  ["models.ts", ["list"]],
  ["runs.ts", []],
  ["train.ts", ["--model", "popularity"]],
  ["simulate.ts", ["--users", "5"]],
  ["prepare.ts", []],
];

function expectOneLine(runs: { script: string; run: ScriptRun }[], message: RegExp): void {
  const problems: string[] = [];
  for (const { script, run } of runs) {
    const label = `${script} → exit ${run.code}: ${run.stderr.slice(0, 400)}`;
    if (run.code !== 2) problems.push(`expected exit 2: ${label}`);
    if (STACK_FRAME.test(run.stderr) || /SqliteError/.test(run.stderr)) problems.push(`stack trace: ${label}`);
    const errors = run.stderr.split("\n").filter((l) => l.startsWith("error: "));
    if (errors.length !== 1 || !message.test(errors[0])) problems.push(`expected one line matching ${message}: ${label}`);
  }
  expect(problems, problems.join("\n")).toEqual([]);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const runAll = (env: Record<string, string | undefined>) =>
  pool(COMMANDS.map(([script, args]) => () => runScript(script, args, { env: { DATABASE_URL: undefined, ...env } }).then((run) => ({ script, run }))));

describe("DATABASE_PATH", () => {
  it("naming a directory is one line saying so, exit 2", async () => {
    const runs = await runAll({ DATABASE_PATH: dir });
    expectOneLine(runs, new RegExp(`^error: invalid environment: DATABASE_PATH: ${escape(dir)} is a directory, not a database file$`));
    expect(fs.readdirSync(dir)).toEqual([]);
  }, 120_000);
});
