import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
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

// These only read or act on what a database holds: no file there is a typo, not a new database.
const READ_ONLY = ["models.ts", "runs.ts"];

function expectOneLine(runs: { script: string; run: ScriptRun }[], message: RegExp, exitCode = 2): void {
  const problems: string[] = [];
  for (const { script, run } of runs) {
    const label = `${script} → exit ${run.code}: ${run.stderr.slice(0, 400)}`;
    if (run.code !== exitCode) problems.push(`expected exit ${exitCode}: ${label}`);
    if (STACK_FRAME.test(run.stderr) || /SqliteError|Failed query/.test(run.stderr)) problems.push(`stack trace: ${label}`);
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

  it("in a folder that does not exist is one line naming the folder, which is not created", async () => {
    const missing = path.join(dir, "mistyped", "sub");
    const runs = await runAll({ DATABASE_PATH: path.join(missing, "matinee.db") });
    expectOneLine(runs, new RegExp(`^error: invalid environment: DATABASE_PATH: directory ${escape(missing)} does not exist$`));
    expect(fs.existsSync(path.join(dir, "mistyped"))).toBe(false);
  }, 120_000);

  it("below a regular file is one line saying it is not a directory", async () => {
    const file = path.join(dir, "a-file");
    fs.writeFileSync(file, "");
    try {
      const run = await runScript("models.ts", ["list"], { env: { DATABASE_URL: undefined, DATABASE_PATH: path.join(file, "matinee.db") } });
      expectOneLine([{ script: "models.ts", run }], new RegExp(`^error: invalid environment: DATABASE_PATH: ${escape(file)} is not a directory$`));
    } finally {
      fs.rmSync(file);
    }
  });

  it("naming no file, for a command that only reads, is one line saying so, and no empty database is made", async () => {
    // was: a new empty database, and "no model versions yet" / "no queued job", exit 0
    const typo = path.join(dir, "matine.db");
    const runs = await pool(
      [...READ_ONLY.map((script) => [script, script === "models.ts" ? ["list"] : []] as const), ["worker.ts", ["--next"]] as const].map(
        ([script, args]) => () => runScript(script, [...args], { env: { DATABASE_URL: undefined, DATABASE_PATH: typo } }).then((run) => ({ script, run })),
      ),
    );
    expectOneLine(runs, new RegExp(`^error: invalid environment: DATABASE_PATH: there is no database at ${escape(typo)} \\(a mistyped name\\? npm run prepare-data creates one\\)$`));
    expect(fs.existsSync(typo)).toBe(false);
  }, 120_000);

  it("that SQLite cannot open, or that is not a database, is one line naming the file and the cause, exit 1", async () => {
    // /proc takes no new files, even from root (permission problems cannot be staged as root)
    const runs = (await runAll({ DATABASE_PATH: "/proc/matinee.db" })).filter((r) => !READ_ONLY.includes(r.script));
    expectOneLine(runs, /^error: the SQLite database \/proc\/matinee\.db cannot be used: unable to open database file \(SQLITE_CANTOPEN\); check that the file and its folder can be read and written by this user$/, 1);
    const text = path.join(dir, "notes.txt");
    fs.writeFileSync(text, "not a database, only some text that is long enough to have a header ".repeat(4));
    const run = await runScript("models.ts", ["list"], { env: { DATABASE_URL: undefined, DATABASE_PATH: text } });
    expectOneLine([{ script: "models.ts", run }], new RegExp(`^error: the SQLite database ${escape(text)} cannot be used: file is not a database \\(SQLITE_NOTADB\\)$`), 1);
  }, 120_000);

  it.each([
    ["unset", undefined, "matinee.db"],
    ["another file in data/ (the bench commands' data/bench.db)", "data/bench.db", "bench.db"],
  ])("%s: the default's data/ folder is still created, in the working directory", (_label, value, name) => {
    const cwd = fs.mkdtempSync(path.join(dir, "cwd-"));
    fs.symlinkSync(path.resolve("drizzle"), path.join(cwd, "drizzle")); // migrations are read from the working directory
    const env: Record<string, string | undefined> = { ...process.env, TSX_TSCONFIG_PATH: path.resolve("tsconfig.json"), DATABASE_PATH: value };
    for (const k of ["DATABASE_PATH", "DATABASE_URL"]) if (env[k] === undefined) delete env[k];
    // `--import tsx` resolves from the working directory, so name tsx's loader by path.
    const res = spawnSync(process.execPath, ["--import", pathToFileURL(path.resolve("node_modules/tsx/dist/loader.mjs")).href, path.resolve("scripts/models.ts"), "list"], {
      cwd,
      env: env as NodeJS.ProcessEnv,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/no model versions yet/);
    expect(fs.statSync(path.join(cwd, "data", name)).isFile()).toBe(true);
  });

  it("run from another folder (no migrations there) is one line saying where to run from, exit 2 (was a stack trace)", () => {
    const cwd = fs.mkdtempSync(path.join(dir, "elsewhere-"));
    const env: Record<string, string | undefined> = { ...process.env, TSX_TSCONFIG_PATH: path.resolve("tsconfig.json"), DATABASE_PATH: path.join(cwd, "app.db") };
    delete env.DATABASE_URL;
    const res = spawnSync(process.execPath, ["--import", pathToFileURL(path.resolve("node_modules/tsx/dist/loader.mjs")).href, path.resolve("scripts/simulate.ts"), "--users", "5"], {
      cwd,
      env: env as NodeJS.ProcessEnv,
      encoding: "utf8",
      timeout: 60_000,
    });
    expectOneLine(
      [{ script: "simulate.ts", run: { code: res.status, stdout: res.stdout, stderr: res.stderr } as ScriptRun }],
      new RegExp(`^error: invalid environment: the database migrations are not in ${escape(path.join(cwd, "drizzle"))}: run Matinee's server and scripts from its folder \\(the one with package\\.json\\)$`),
    );
  });
});

describe("DATABASE_URL", () => {
  it("naming a PostgreSQL server that cannot be reached is one line, without the password, exit 1", async () => {
    const runs = await pool(
      COMMANDS.map(([script, args]) => () => runScript(script, args, { env: { DATABASE_URL: "postgres://matinee:s3cret@127.0.0.1:1/matinee" } }).then((run) => ({ script, run }))),
    );
    expectOneLine(runs, /^error: the PostgreSQL database postgres:\/\/matinee@127\.0\.0\.1:1\/matinee cannot be used: connect ECONNREFUSED 127\.0\.0\.1:1 \(ECONNREFUSED\)$/, 1);
    for (const { run } of runs) expect(run.stderr).not.toContain("s3cret");
  }, 120_000);
});
