import { spawn, type ChildProcess } from "node:child_process";
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCatalog } from "@/lib/catalog/seed";
import { closeDb, getDb } from "@/lib/db";
import { jobs, movies } from "@/lib/db/schema";
import { countUsers } from "@/lib/interactions/queries";
import { integrityCheck } from "../helpers/db-integrity";
import { runScript, STACK_FRAME } from "../helpers/run-script";
import { testingPostgres, useTempDb } from "../helpers/temp-db";
import { dataFingerprint, writeFile } from "../unit/interactions/fixtures";

// `npm run simulate` and `npm run import` end to end: the real scripts in child processes against
// a temporary database seeded with the bundled catalog.

type Run = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

const T = 1_600_000_000;
const GENERIC_HEADER = "user_id,tmdb_id,rating,watch_seconds,timestamp";
let tmp: ReturnType<typeof useTempDb>;
let catalogIds: number[];

beforeAll(async () => {
  tmp = useTempDb();
  await seedCatalog();
  catalogIds = (await getDb().select({ id: movies.id }).from(movies).orderBy(asc(movies.id))).map((r) => r.id);
}, 60_000);
afterAll(() => tmp.cleanup());

/**
 * Run a script with node + the tsx loader in one process (the tsx CLI would put a second process in
 * between that a SIGKILL does not reach), in its own process group.
 */
function run(script: string, args: string[], onStderr?: (text: string, child: ChildProcess) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve("scripts", script), ...args], {
      env: { ...process.env, DATABASE_PATH: tmp.file },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => {
      stderr += d;
      onStderr?.(stderr, child);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe("npm run simulate", () => {
  it("simulates users over the catalog, writes the plot, and is idempotent for a seed", async () => {
    const plot = path.join(tmp.dir, "charts", "sim.svg");
    const first = await run("simulate.ts", ["--users", "300", "--seed", "3", "--plot", plot, "--json"]);
    expect(first.stderr).toMatch(/simulate: 300\/300/);
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary).toMatchObject({ users: 300, usersCreated: 300, catalogMovies: catalogIds.length });
    expect(fs.readFileSync(plot, "utf8")).toMatch(/^<svg[\s\S]*Rating vs watch time[\s\S]*<\/svg>$/);
    expect(await countUsers({ source: "simulated" })).toBe(300);

    const again = await run("simulate.ts", ["--users", "300", "--seed", "3"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/interactions: 0 added, 0 updated, \d+ unchanged, 0 removed/);
  });

  it("a --plot it could not write is refused before simulating anything", async () => {
    const dir = path.join(tmp.dir, "taken.svg"); // a directory with the plot's name
    fs.mkdirSync(dir);
    const file = writeFile(tmp.dir, "plain-file", "");
    const db = getDb();
    const before = { users: await countUsers({}), jobs: (await db.select({ id: jobs.id }).from(jobs)).length };
    const [isDir, belowFile] = await Promise.all([
      run("simulate.ts", ["--users", "20", "--seed", "9", "--plot", dir]),
      run("simulate.ts", ["--users", "20", "--seed", "9", "--plot", path.join(file, "sim.svg")]),
    ]);
    for (const [res, why] of [[isDir, "is a directory, not a file"], [belowFile, "cannot write there \\(part of its path is a file, not a folder\\)"]] as const) {
      expect(res.code, res.stderr).toBe(2);
      expect(res.stderr).toMatch(new RegExp(`^error: --plot \\S+\\.svg: ${why}\n$`)); // one line
      expect(res.stderr).not.toMatch(/EISDIR|at .*\.ts:\d+/);
    }
    expect(await countUsers({})).toBe(before.users);
    expect((await db.select({ id: jobs.id }).from(jobs)).length).toBe(before.jobs);
  });
});

describe("npm run import", () => {
  it("imports a file, reports bad rows by line, exits 1 when nothing is valid and 2 on bad flags", async () => {
    const [a, b] = catalogIds;
    const good = writeFile(tmp.dir, "good.csv", [GENERIC_HEADER, `zoe,${a},4,,${T}`, `zoe,${b},9,,${T}`, `zoe,${b},,3600,${T}`].join("\n"));
    const bad = writeFile(tmp.dir, "bad.csv", [GENERIC_HEADER, "x,y,z,,"].join("\n"));
    // independent runs go in parallel: each child pays node + tsx start-up
    const [ok, failed, usage, badUsers, badPlot] = await Promise.all([
      run("import.ts", ["--file", good]),
      run("import.ts", ["--file", bad]),
      run("import.ts", ["--format", "xml"]),
      run("simulate.ts", ["--users", "0"]),
      run("simulate.ts", ["--plot", "x.png"]),
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/2 valid, 1 bad/);
    expect(ok.stdout).toMatch(/line 3: rating must be at most 5/);
    expect(ok.stdout).toMatch(/users: 1 \(1 new, ids csv:<id>\)/);
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim()).toMatch(/^error: .*bad\.csv: no valid rows \(1 bad; line 2: tmdb_id must be a positive integer\); nothing was imported$/);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--format:/);
    expect(usage.stderr).toMatch(/--file: is required/);
    expect(badUsers.code).toBe(2);
    expect(badUsers.stderr).toMatch(/--users:/);
    expect(badPlot.code).toBe(2);
    expect(badPlot.stderr).toMatch(/--plot: must be a .svg file/);
  });

  it("a SIGKILL in the middle of the write leaves the data unchanged and the database intact", async () => {
    // 120,000 rows over 3,000 users: the write takes seconds, and we kill it a third of the way in.
    const rows = Array.from({ length: 120_000 }, (_, i) => `k${i % 3000},${catalogIds[(i * 7919) % catalogIds.length]},${1 + (i % 9) * 0.5},,${T + i}`);
    const file = writeFile(tmp.dir, "big.csv", `${GENERIC_HEADER}\n${rows.join("\n")}\n`);
    const before = await dataFingerprint(getDb());
    await closeDb();

    let killedAt = "";
    const killed = await run("import.ts", ["--file", file], (stderr, child) => {
      const m = [...stderr.matchAll(/import: write \(rows\): (\d+)\/(\d+)/g)].pop();
      if (!killedAt && m && Number(m[1]) >= Number(m[2]) / 3) {
        killedAt = m[0];
        process.kill(-child.pid!, "SIGKILL");
      }
    });
    expect(killedAt).not.toBe("");
    expect(killed.signal).toBe("SIGKILL");
    expect(killed.stdout).toBe(""); // it never got to print a summary

    const db = getDb(); // reopen: SQLite discards the uncommitted transaction (PostgreSQL aborts it with the connection)
    expect(await integrityCheck()).toBe("ok");
    expect(await dataFingerprint(db)).toEqual(before);
    // The job row shows the attempt; the next import settles it (its process is gone), as the
    // next crawl or training run settles theirs: it does not stay `running`.
    const [job] = (await db.select().from(jobs).where(eq(jobs.kind, "import")).orderBy(asc(jobs.id))).slice(-1);
    expect(job.status).toBe("running");
    await closeDb();
    const again = await run("import.ts", ["--file", writeFile(tmp.dir, "after-kill.csv", `${GENERIC_HEADER}\nk1,${catalogIds[0]},4,,${T}\n`)]);
    expect(again.code, again.stderr).toBe(0);
    const [killedJob] = await getDb().select().from(jobs).where(eq(jobs.id, job.id));
    expect(killedJob).toMatchObject({ status: "failed", error: `abandoned: process ${job.workerPid} is gone (killed?)` });
  });
});

// --scale writes SQLite only (scale-run.ts); it runs on a database file of its own here.
describe.skipIf(testingPostgres())("a killed npm run simulate -- --scale", () => {
  it("until it is re-run to the end, import and simulate exit 1 with one line saying so; then they work again", async () => {
    const env = { DATABASE_PATH: path.join(tmp.dir, "scale.db"), DATABASE_URL: undefined };
    // 1m: 7,000 users in batches of 2,000; killed once the first batch is in, with the interaction
    // indexes (the unique key the upserts name among them) dropped until the load ends
    let killed = false;
    const load = await runScript("simulate.ts", ["--scale", "1m", "--seed", "7"], {
      env,
      onStderr: (stderr, child) => {
        if (!killed && /simulate --scale: 2000\/7000/.test(stderr)) {
          killed = true;
          process.kill(-child.pid!, "SIGKILL");
        }
      },
    });
    expect(load.signal, load.stderr).toBe("SIGKILL");

    const file = writeFile(tmp.dir, "after-scale.csv", `${GENERIC_HEADER}\nu1,${catalogIds[0]},4,,${T}\n`);
    const finish = "npm run simulate -- --scale 1000000 --seed 7";
    for (const args of [["import.ts", "--file", file], ["simulate.ts", "--users", "5"]]) {
      const refused = await runScript(args[0], args.slice(1), { env });
      expect(refused.code, refused.stderr).toBe(1);
      expect(refused.stderr).not.toMatch(STACK_FRAME);
      const lines = refused.stderr.trimEnd().split("\n");
      expect(lines.at(-1)).toMatch(/^error: a `simulate --scale` bulk load into this database is unfinished \(it is running, or was interrupted\)/);
      expect(lines.at(-1)).toContain(`re-run \`${finish}\` to finish it`);
      expect(lines.filter((l) => l.startsWith("error:"))).toHaveLength(1);
    }

    // the command the message names finishes the load and puts the indexes back, saying so: the
    // rebuild (a minute at 10m) followed a bar at 100% in silence
    const resumed = await runScript("simulate.ts", finish.replace("npm run simulate -- ", "").split(" "), { env });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/resumed at user 2000/);
    expect(resumed.stderr).toMatch(/simulate --scale: 7000\/7000 \(100%\)[^\n]*\nsimulate --scale: rebuilding interaction indexes…\nsimulate --scale: rebuilding interaction indexes: done in \d+\.\ds\n/);
    // and the killed load's job is settled (failed, its process gone), not left `running`
    const scaleDb = new Database(env.DATABASE_PATH, { readonly: true });
    try {
      // (between them, the refused `simulate --users 5` failed)
      const loads = scaleDb.prepare("SELECT status, error FROM jobs WHERE kind = 'simulate' ORDER BY id").all() as { status: string; error: string | null }[];
      expect(loads[0]).toEqual({ status: "failed", error: expect.stringMatching(/^abandoned: process \d+ is gone/) });
      expect(loads.at(-1)).toEqual({ status: "succeeded", error: null });
      expect(loads.filter((j) => j.status === "running")).toEqual([]);
    } finally {
      scaleDb.close();
    }
    const imported = await runScript("import.ts", ["--file", file], { env });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/1 new, 0 updated/);
  }, 120_000);
});
