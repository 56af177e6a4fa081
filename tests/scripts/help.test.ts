import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool, runScript } from "../helpers/run-script";

// Every script's --help shows the command a reader types, the one the README's Scripts table
// lists (`npm run models -- list`), not a path to the file behind it.

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "matinee-help-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("--help", () => {
  it("of every package.json script names it as npm run <name>, exits 0 and opens no database", async () => {
    const scripts = JSON.parse(fs.readFileSync("package.json", "utf8")).scripts as Record<string, string>;
    const clis = Object.entries(scripts)
      .map(([name, cmd]) => [name, /^tsx scripts\/([\w/-]+\.ts)$/.exec(cmd)?.[1]] as const)
      .filter((e): e is readonly [string, string] => Boolean(e[1]));
    expect(clis.map(([name]) => name)).toEqual(expect.arrayContaining(["start", "models", "worker", "train", "prepare-data"]));
    const db = path.join(dir, "matinee.db");
    const runs = await pool(clis.map(([, file]) => () => runScript(file, ["--help"], { env: { DATABASE_PATH: db, DATABASE_URL: undefined } })));
    const problems: string[] = [];
    runs.forEach((run, i) => {
      const [name, file] = clis[i];
      const usage = run.stdout.split("\n")[0];
      if (run.code !== 0) problems.push(`${file}: exit ${run.code}: ${run.stderr.slice(0, 200)}`);
      const command = name === "start" ? "npm start" : `npm run (--silent )?${name}`;
      if (!new RegExp(`^usage: (\\S+=\\S+ )?${command}( |$)`, "i").test(usage)) problems.push(`${file}: usage line should name ${command}: ${usage}`);
    });
    expect(problems, problems.join("\n")).toEqual([]);
    expect(fs.existsSync(db)).toBe(false);
  }, 120_000);

  it("of the worker lists its exit codes, 3 (job not claimable) included", async () => {
    const run = await runScript("worker.ts", ["--help"], { env: { DATABASE_PATH: path.join(dir, "w.db"), DATABASE_URL: undefined } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Exit codes: 0 .*· 1 .*· 2 [\s\S]*· 3 no such job, or it is not queued/);
  });
});

describe("README Scripts table", () => {
  it("lists every package.json script that runs a CLI in scripts/", () => {
    const scripts = JSON.parse(fs.readFileSync("package.json", "utf8")).scripts as Record<string, string>;
    const readme = fs.readFileSync("README.md", "utf8");
    const table = readme.slice(readme.indexOf("## Scripts"), readme.indexOf("\n## ", readme.indexOf("## Scripts") + 1));
    const missing = Object.entries(scripts)
      .filter(([, cmd]) => /^tsx scripts\//.test(cmd))
      .map(([name]) => name)
      .filter((name) => ![name === "start" ? "`npm start`" : `npm run ${name}`, `npm run --silent ${name}`, `\`${name}\``].some((form) => table.includes(form)));
    expect(missing).toEqual([]);
  });
});
