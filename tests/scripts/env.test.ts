import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool, runScript, STACK_FRAME } from "../helpers/run-script";

// An invalid environment variable must stop every script the way the README promises: one line
// naming the variable, exit 2, nothing done. lib/db/schema.ts used to read the environment while
// modules loaded, before runCli's handler existed, so every script printed a stack trace instead.

/** Every `tsx scripts/X.ts` entry of package.json (the CLIs a user runs with npm run). */
function packageScripts(): string[] {
  const scripts = JSON.parse(fs.readFileSync("package.json", "utf8")).scripts as Record<string, string>;
  return Object.values(scripts)
    .map((cmd) => /^tsx scripts\/([\w/-]+\.ts)$/.exec(cmd)?.[1])
    .filter((s): s is string => Boolean(s));
}

// One bad value per variable kind: a number, a URL, the dialect selector, a required path.
const BAD: Record<string, string>[] = [{ API_RATE_LIMIT: "abc" }, { TMDB_BASE_URL: "notaurl" }, { DATABASE_URL: "mysql://x" }, { DATABASE_PATH: "" }, { PORT: "eighty" }];

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "matinee-env-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("an invalid environment variable", () => {
  it("stops every script with one line naming it and exit 2, before touching the database", async () => {
    const scripts = packageScripts();
    expect(scripts).toEqual(expect.arrayContaining(["train.ts", "models.ts", "crawl.ts", "runs.ts", "prepare.ts", "start.ts", "worker.ts", "bench/api.ts"]));
    const db = path.join(dir, "must-not-exist.db");
    // Every script with --help and a rotating bad variable, plus the reported command lines as typed.
    const cases = [
      ...scripts.map((script, i) => ({ script, args: ["--help"], bad: BAD[i % BAD.length] })),
      { script: "models.ts", args: ["list"], bad: { API_RATE_LIMIT: "abc" } },
      { script: "train.ts", args: ["--help"], bad: { DATABASE_URL: "mysql://x" } },
      { script: "crawl.ts", args: [], bad: { TMDB_BASE_URL: "notaurl" } },
      { script: "runs.ts", args: [], bad: { DATABASE_PATH: "" } },
      { script: "simulate.ts", args: ["--users", "5"], bad: { API_RATE_LIMIT: "abc" } },
      { script: "import.ts", args: ["--file", "x.csv"], bad: { DRIFT_THRESHOLD: "lots" } },
    ];
    const runs = await pool(
      cases.map((c) => () => runScript(c.script, c.args, { env: { DATABASE_PATH: db, DATABASE_URL: undefined, ...c.bad }, timeoutMs: 60_000 }).then((run) => ({ c, run }))),
      2,
    );
    const problems: string[] = [];
    for (const { c, run } of runs) {
      const [name] = Object.keys(c.bad);
      const label = `${name}=${JSON.stringify(c.bad[name as keyof typeof c.bad])} ${c.script} ${c.args.join(" ")} → exit ${run.code}: ${run.stderr.slice(0, 400)}`;
      if (run.code !== 2) problems.push(`expected exit 2: ${label}`);
      if (STACK_FRAME.test(run.stderr)) problems.push(`stack trace: ${label}`);
      if (!new RegExp(`^error: invalid environment: ${name}: [^\\n]+\\n$`).test(run.stderr)) problems.push(`expected one "error: invalid environment: ${name}: …" line: ${label}`);
      if (run.stdout !== "") problems.push(`printed on stdout (${JSON.stringify(run.stdout.slice(0, 80))}): ${label}`);
    }
    expect(problems, problems.join("\n")).toEqual([]);
    expect(fs.existsSync(db)).toBe(false);
  }, 180_000);
});

describe("the .env files", () => {
  // `next start` loads them into the server; the scripts read them too, so npm start's prepare
  // step and its server (and every other script) see one configuration. Under vitest the scripts
  // skip them (a developer's .env must not reach the tests): VITEST is removed for these children.
  it("are read by every script from the working directory, under the variables already set", async () => {
    const cwd = fs.mkdtempSync(path.join(dir, "dotenv-"));
    fs.writeFileSync(path.join(cwd, ".env"), "API_RATE_LIMIT=abc\n");
    const fromFile = await runScript("models.ts", ["--help"], { cwd, env: { VITEST: undefined, API_RATE_LIMIT: undefined } });
    expect(fromFile.code, fromFile.stderr).toBe(2);
    expect(fromFile.stderr.trim()).toMatch(/^error: invalid environment: API_RATE_LIMIT: /);
    // a variable the process was given wins over the file
    const given = await runScript("models.ts", ["--help"], { cwd, env: { VITEST: undefined, API_RATE_LIMIT: "50" } });
    expect(given.code, given.stderr).toBe(0);
    expect(given.stdout).toMatch(/usage: npm run models/);
    // and without the file, the same command is fine
    fs.rmSync(path.join(cwd, ".env"));
    expect((await runScript("models.ts", ["--help"], { cwd, env: { VITEST: undefined, API_RATE_LIMIT: undefined } })).code).toBe(0);
  });
});
