import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { AvailableLanguages } from "tmdb-ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCatalog } from "@/lib/catalog/seed";
import { closeDb, getDb } from "@/lib/db";
import { createJob, finishJob } from "@/lib/jobs/queries";
import { runTraining } from "@/lib/recs/train";
import { runSimulation } from "@/lib/simulate/run";
import { fingerprint, type Fingerprint } from "../helpers/db-fingerprint";
import { pool, runScript, STACK_FRAME, type ScriptRun } from "../helpers/run-script";
import { useTempDb } from "../helpers/temp-db";

// Every CLI fed bad arguments (generated with fast-check from each flag's documented range) and
// import/evaluate fed bad files: each run must exit non-zero with one `error: …` line and no stack
// trace, and the database must be unchanged (every table's rows hashed before and after, plus
// `PRAGMA integrity_check`; the `jobs` table is compared separately: a failed import leaves one
// failed job row, which is its record of the attempt). Each case is a real child process (~1-2 s of
// node + tsx start-up), so the case count is fixed and small; cases run two at a time.

const SEED = 20_261_122;
const ARGV_CASES_PER_CLI = 4;

type Case = { cli: string; args: string[]; exit: number | number[]; message?: RegExp };
type Flag =
  | { name: string; kind: "number"; min: number; max: number; int?: boolean; exclusiveMin?: boolean }
  | { name: string; kind: "string"; valid: (v: string) => boolean }
  | { name: string; kind: "boolean" };

// Each CLI's flags with the ranges its --help and docs promise.
const int = (name: string, min: number, max = Number.MAX_SAFE_INTEGER): Flag => ({ name, kind: "number", min, max, int: true });
const languages = new Set<string>(AvailableLanguages);
const CLIS: Record<string, Flag[]> = {
  "crawl.ts": [
    { name: "pages", kind: "string", valid: (v) => /^\d+(-\d+)?$/.test(v) && ((a, b = a) => a >= 1 && b <= 500 && a <= b)(...(v.split("-").map(Number) as [number, number?])) },
    { name: "region", kind: "string", valid: (v) => /^[A-Z]{2}$/.test(v) },
    { name: "language", kind: "string", valid: (v) => languages.has(v) },
    { name: "image-language", kind: "string", valid: (v) => /^[a-z]{2}$/.test(v) },
    { name: "interval", kind: "number", min: 0, max: 60 },
    { name: "timeout", kind: "number", min: 0, max: 300, exclusiveMin: true },
    int("retries", 0, 10),
    { name: "restart", kind: "boolean" },
    { name: "out", kind: "string", valid: (v) => /\.json$/i.test(v) },
  ],
  "simulate.ts": [int("users", 1, 1_000_000), int("max-per-user", 1, 1000), int("seed", 0, 0xffffffff), int("clusters", 1, 500), { name: "plot", kind: "string", valid: (v) => /\.svg$/i.test(v) }, { name: "json", kind: "boolean" }],
  "train.ts": [
    { name: "model", kind: "string", valid: (v) => ["popularity", "item-knn", "user-knn", "ease"].includes(v) },
    { name: "params", kind: "string", valid: (v) => v.trim() === "{}" },
    int("top-n", 1, 500),
    int("neighbors", 1, 500),
    int("seed", 0),
    { name: "tolerance", kind: "number", min: 0, max: 1 },
    { name: "force", kind: "boolean" },
  ],
  "evaluate.ts": [int("k", 1, 10_000), int("seed", 0), { name: "model", kind: "string", valid: (v) => ["popularity", "item-knn", "user-knn", "ease"].includes(v) }, { name: "split", kind: "string", valid: (v) => /^(item|user):0?\.\d+$/.test(v) }],
  "import.ts": [
    { name: "format", kind: "string", valid: (v) => ["auto", "udata", "movielens-csv", "generic"].includes(v) },
    { name: "strict", kind: "boolean" },
    { name: "dry-run", kind: "boolean" },
  ],
  "worker.ts": [int("job", 1)],
};

/** Whether a CLI takes a flag value: plain decimal digits (no "0x10", "1e3", " 5"), within range. */
function acceptsNumber(f: Extract<Flag, { kind: "number" }>, v: string): boolean {
  if (!(f.int ? /^\d+$/ : /^(\d+(\.\d+)?|\.\d+)$/).test(v)) return false;
  const n = Number(v);
  if (!Number.isFinite(n) || (f.int && !Number.isSafeInteger(n))) return false;
  return (f.exclusiveMin ? n > f.min : n >= f.min) && n <= f.max;
}

// ---------- generators of argv that is wrong in at least one place ----------

const noNul = (s: string) => !s.includes("\u0000");
const garbage = fc.oneof(
  fc.string({ unit: "binary", minLength: 1, maxLength: 12 }),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }),
  fc.constantFrom("NaN", "Infinity", "-Infinity", "1e309", "1e400", "99999999999999999999999", "-1", "-0.5", "1.5", "0x", "١٢", "１２", "12abc", "1,000", "3 4", "null", "[]", "{}", "", " ", "☃", "🎬", "\u202e42", "../../etc/passwd"),
  fc.double().map(String),
  fc.bigInt({ min: 10n ** 16n, max: 10n ** 40n }).map(String),
  fc.integer({ min: -1_000_000_000, max: -1 }).map(String),
).filter(noNul);

/** `--flag=value` always reaches the flag (a value starting with "-" would otherwise be refused for looking like a flag). */
const setFlag = (name: string, value: string) => [`--${name}=${value}`];

function badElement(flags: Flag[]): fc.Arbitrary<string[]> {
  const known = new Set([...flags.map((f) => f.name), "help", "h"]);
  const valued = flags.filter((f) => f.kind !== "boolean");
  const booleans = flags.filter((f) => f.kind === "boolean");
  const options: fc.Arbitrary<string[]>[] = [
    // unknown flag, with or without a value
    fc.tuple(fc.string({ unit: "grapheme", minLength: 1, maxLength: 10 }).filter((s) => noNul(s) && !known.has(s) && !s.startsWith("-") && !s.includes("=")), fc.option(garbage))
      .map(([n, v]) => (v === null ? [`--${n}`] : setFlag(n, v))),
    // garbage positional (no CLI here takes one)
    garbage.filter((g) => !g.startsWith("-") && g !== "").map((g) => [g]),
  ];
  if (valued.length) {
    // a bad value for a real flag
    options.push(
      fc.constantFrom(...valued).chain((f) =>
        garbage.filter((v) => (f.kind === "number" ? !acceptsNumber(f, v) : f.kind === "string" && !f.valid(v))).map((v) => setFlag(f.name, v)),
      ),
    );
    // a flag given twice
    options.push(fc.constantFrom(...valued).map((f) => [`--${f.name}=1`, `--${f.name}=1`]));
    // a flag without its value, at the end
    options.push(fc.constantFrom(...valued).map((f) => [`--${f.name}`]));
  }
  if (booleans.length) options.push(fc.constantFrom(...booleans).chain((f) => garbage.map((v) => setFlag(f.name, v))));
  return fc.oneof(...options);
}

function argvCases(cli: string, flags: Flag[], n: number, seed: number): Case[] {
  const argv = fc.tuple(fc.array(badElement(flags), { minLength: 1, maxLength: 3 }), fc.boolean()).map(([bad, flip]) => {
    const parts = bad.flat();
    return flip ? parts.reverse() : parts;
  });
  return fc.sample(argv, { numRuns: n, seed }).map((args) => ({ cli, args, exit: 2 }));
}

// ---------- bad input files ----------

const GENERIC_HEADER = "user_id,tmdb_id,rating,watch_seconds,timestamp";
const T = 1_600_000_000;

/** A generic-CSV row with exactly one field made invalid (so every row of the file is bad). */
function brokenGenericRow(movieId: number): fc.Arbitrary<string> {
  const good = ["u1", String(movieId), "4", "3600", String(T)];
  const breakers: [number, fc.Arbitrary<string>][] = [
    [0, fc.constantFrom("has space", "x".repeat(101), "", "a\u0001b", "\u001b[31mred", "del\u007f")],
    [1, garbage.filter((v) => !(Number.isInteger(Number(v)) && Number(v) > 0))],
    [2, fc.constantFrom("0", "5.5", "4.3", "-1", "NaN", "six", "1e3")],
    [3, fc.constantFrom("-1", "86401", "1.5", "abc", "1e9")],
    [4, fc.constantFrom("0", "99999999999999", "yesterday", "1800000", "2101-01-01T00:00:00Z")],
  ];
  return fc.oneof(
    ...breakers.map(([i, arb]) => arb.filter((v) => !v.includes(",") && !v.includes("\n") && !v.includes("\r") && noNul(v)).map((v) => good.map((g, j) => (j === i ? v : g)).join(","))),
    fc.integer({ min: 1, max: 4 }).map((n) => good.slice(0, n).join(",")), // too few columns
    fc.constant([...good, "extra"].join(",")), // too many
  );
}

let tmp: ReturnType<typeof useTempDb>;
let files: string;
let before: Fingerprint;
let jobIdsBefore: number[];
let finishedJobId: number;
let catalogId: number;
const results: { c: Case; run: ScriptRun }[] = [];

beforeAll(async () => {
  tmp = useTempDb();
  await seedCatalog();
  await runSimulation({ users: 60, seed: 5 });
  await runTraining({ model: "popularity", topN: 10, neighbors: 10 });
  const done = await createJob("simulate", {});
  await finishJob(done.id, { status: "succeeded" });
  finishedJobId = done.id;
  catalogId = (getDb().$client.prepare("select id from movies order by id limit 1").pluck().get() as number) ?? 0;
  closeDb();
  files = path.join(tmp.dir, "inputs");
  fs.mkdirSync(files);
  before = fingerprint(tmp.file, { exclude: ["jobs"] });
  jobIdsBefore = jobIds();
}, 120_000);
afterAll(() => tmp.cleanup());

function jobIds(): number[] {
  const db = getDb();
  const ids = db.$client.prepare("select id from jobs order by id").pluck().all() as number[];
  closeDb();
  return ids;
}

function write(name: string, content: string | Buffer): string {
  const file = path.join(files, name);
  fs.writeFileSync(file, content);
  return file;
}

function fileCases(): Case[] {
  const utf8 = `${GENERIC_HEADER}\nu1,${catalogId},4,,${T}\n`;
  const rng = fc.sample(fc.uint8Array({ minLength: 4096, maxLength: 4096 }), { numRuns: 1, seed: SEED })[0];
  const generated = (name: string, n: number, seed: number) =>
    write(name, [GENERIC_HEADER, ...fc.sample(brokenGenericRow(catalogId), { numRuns: n, seed })].join("\n"));
  const importFile = (file: string, message: RegExp, extra: string[] = []): Case => ({ cli: "import.ts", args: ["--file", file, ...extra], exit: 1, message });
  const evaluateFile = (file: string): Case => ({ cli: "evaluate.ts", args: ["--ratings", file, "--model", "popularity"], exit: 1 });
  const cases: Case[] = [
    importFile(write("empty.csv", ""), /is empty/),
    importFile(write("header-only.csv", `${GENERIC_HEADER}\n`), /has a header but no data rows/),
    importFile(write("blank-lines.csv", "\n\n \n"), /no data|is empty|blank/),
    importFile(write("utf16le.csv", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(utf8, "utf16le")])), /UTF-16/),
    importFile(write("utf16-no-bom.csv", Buffer.from(utf8, "utf16le")), /NUL bytes/),
    // past the 4 KB that are sniffed: it used to import, with NUL stored in the user id
    importFile(write("nul-after-200-rows.csv", `${GENERIC_HEADER}\n${Array.from({ length: 200 }, (_, i) => `u${i},${catalogId},4,,${T}`).join("\n")}\nevil\u0000user,${catalogId},5,,${T}\n`), /NUL bytes \(line 202\)/),
    importFile(write("latin1.csv", Buffer.from(`${GENERIC_HEADER}\nJos\u00e9,${catalogId},4,,${T}\n`, "latin1")), /not valid UTF-8/),
    importFile(write("binary.bin", Buffer.from(rng)), /binary|NUL|UTF-8|format/),
    importFile(write("gzip.csv.gz", Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from(rng.subarray(0, 200))])), /gzip/),
    importFile(write("huge-line.csv", `${GENERIC_HEADER}\n${"9".repeat(3 << 20)}\n`), /longer than 1 MB/),
    importFile(write("unknown-movies.csv", `${GENERIC_HEADER}\nu1,999999991,4,,${T}\nu2,999999992,3,,${T}\n`), /nothing to import/),
    importFile(write("strict.csv", `${GENERIC_HEADER}\nu1,${catalogId},4,,${T}\nu1,${catalogId},9,,${T}\n`), /line 3: .*--strict: nothing was imported/, ["--strict"]),
    importFile(files, /must be a regular file/),
    importFile(path.join(files, "does-not-exist.csv"), /does-not-exist\.csv/),
    importFile(write("links-target.csv", utf8), /links/, ["--links", write("bad-links.csv", Buffer.from(rng.subarray(0, 300)))]),
    evaluateFile(write("eval-empty.csv", "")),
    evaluateFile(write("eval-binary.bin", Buffer.from(rng))),
  ];
  // fast-check: files whose every row is broken in one field; the CLI must count each one.
  for (const [i, n] of [200, 1000].entries()) {
    const file = generated(`generated-${n}.csv`, n, SEED + i);
    cases.push(importFile(file, new RegExp(`no valid rows \\(${n} bad; line 2: `)));
  }
  return cases;
}

function fixedCases(): Case[] {
  return [
    { cli: "models.ts", args: ["promote", "999999"], exit: 2, message: /999999/ },
    { cli: "models.ts", args: ["promote", "0"], exit: 2, message: /promote 0: ID must be a positive whole number/ },
    { cli: "models.ts", args: ["promote", "abc"], exit: 2, message: /promote abc: ID must be a positive whole number/ },
    { cli: "models.ts", args: ["rollback"], exit: [1, 2], message: /roll/i },
    { cli: "models.ts", args: ["list", "--all"], exit: 2, message: /unknown command/ },
    { cli: "worker.ts", args: ["--job", "999999"], exit: 3, message: /there is no job #999999/ },
    { cli: "worker.ts", args: ["--job", String(finishedJobId)], exit: 3, message: /is succeeded, not queued/ },
    { cli: "train.ts", args: ["--job-id", "999999"], exit: 2, message: /--job-id 999999: there is no such job/ },
    { cli: "train.ts", args: ["--job-id", String(finishedJobId)], exit: 2, message: /it is a simulate job/ },
    { cli: "train.ts", args: ["--model", "ease", "--params", '{"lambda":-1}'], exit: 2, message: /invalid --params: lambda/ },
    { cli: "evaluate.ts", args: ["--train", "a.csv"], exit: 2, message: /^error: invalid arguments: --test: is required with --train$/ },
    { cli: "crawl.ts", args: ["--pages", "1-2"], exit: 2, message: /TMDB_API_KEY is not set/ },
    // a negative value after a flag: refused as a value (was node's three-line "ambiguous" hint)
    { cli: "simulate.ts", args: ["--users", "-5"], exit: 2, message: /^error: invalid arguments: --users: must be a whole number written in digits$/ },
    // another value starting with a dash: node's hint, as one readable line
    { cli: "simulate.ts", args: ["--users", "-x"], exit: 2, message: /^error: Option '--users' argument is ambiguous\. Did you forget .* use '--users=-XYZ'\.$/ },
  ];
}

/** Every `tsx scripts/X.ts` CLI in package.json; one not covered above still gets the generic bad-argument cases. */
function packageClis(): string[] {
  const scripts = JSON.parse(fs.readFileSync("package.json", "utf8")).scripts as Record<string, string>;
  return Object.values(scripts)
    .map((cmd) => /^tsx scripts\/([\w-]+\.ts)$/.exec(cmd)?.[1])
    .filter((s): s is string => Boolean(s) && !NO_ARGUMENTS.has(s!));
}
// Takes no arguments at all (it ignores argv): nothing to fuzz. prepare.ts takes none either but
// refuses them (--help only), so it gets the generic cases.
const NO_ARGUMENTS = new Set(["start.ts"]);

describe("CLI fuzzing: bad arguments and bad input files", () => {
  it("every case exits non-zero with one clear error line, no stack trace, and the database unchanged", async () => {
    const clis = packageClis();
    expect(clis).toEqual(expect.arrayContaining(["crawl.ts", "simulate.ts", "import.ts", "train.ts", "evaluate.ts", "models.ts", "worker.ts"]));
    const cases: Case[] = [];
    for (const [i, cli] of clis.entries()) {
      // a CLI without a flag table (a new one, or models.ts with its positional commands) gets the generic cases
      cases.push(...argvCases(cli, CLIS[cli] ?? [], CLIS[cli] ? ARGV_CASES_PER_CLI : 3, SEED + i));
    }
    cases.push(...fixedCases(), ...fileCases());

    const env = { DATABASE_PATH: tmp.file, TMDB_API_KEY: undefined, TMDB_BASE_URL: "http://127.0.0.1:9/3" };
    const started = Date.now();
    const runs = await pool(cases.map((c) => () => runScript(c.cli, c.args, { env, timeoutMs: 60_000 }).then((run) => ({ c, run }))), 2);
    results.push(...runs);

    const problems: string[] = [];
    for (const { c, run } of runs) {
      const label = `${c.cli} ${JSON.stringify(c.args).slice(0, 200)} → exit ${run.code}: ${run.stderr.slice(0, 300)}`;
      const firstLine = run.stderr.split("\n").find((l) => l.startsWith("error: ")) ?? "";
      const exits = Array.isArray(c.exit) ? c.exit : [c.exit];
      if (run.timedOut) problems.push(`timed out: ${label}`);
      else if (!exits.includes(run.code ?? -1)) problems.push(`expected exit ${exits.join("/")}: ${label}`);
      if (STACK_FRAME.test(run.stderr) || STACK_FRAME.test(run.stdout)) problems.push(`stack trace: ${label}`);
      if (!firstLine) problems.push(`no "error:" line: ${label}`);
      if (/\b(TypeError|SqliteError|ZodError|RangeError|SyntaxError)\b/.test(run.stderr)) problems.push(`internal error name: ${label}`);
      if (c.message && !c.message.test(firstLine)) problems.push(`message should match ${c.message}: ${label}`);
    }
    expect(problems, problems.join("\n")).toEqual([]);

    const after = fingerprint(tmp.file, { exclude: ["jobs"] });
    expect(after.integrity).toBe("ok");
    expect(after.tables).toEqual(before.tables);
    // The only rows added anywhere: failed import attempts, each recording the error it printed.
    const db = getDb();
    const added = db.$client.prepare(`select kind, status, error from jobs where id > ? order by id`).all(Math.max(0, ...jobIdsBefore)) as { kind: string; status: string; error: string }[];
    closeDb();
    for (const job of added) {
      expect(job).toMatchObject({ kind: "import", status: "failed" });
      expect(runs.some(({ run }) => run.stderr.includes(job.error.slice(0, 60)))).toBe(true);
    }
    const rows = Object.values(after.tables).reduce((n, t) => n + t.rows, 0);
    const perCli = new Map<string, number>();
    for (const { c } of runs) perCli.set(c.cli, (perCli.get(c.cli) ?? 0) + 1);
    const byCli = [...perCli].map(([cli, n]) => `${cli.replace(".ts", "")} ${n}`);
    console.log(
      `cli-fuzz: ${runs.length} runs (${byCli.join(", ")}) in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `${Object.keys(after.tables).length} tables / ${rows} rows unchanged; ${added.length} failed import job rows recorded`,
    );
    for (const { c, run } of runs.filter((_, i) => i % 9 === 0)) {
      console.log(`  e.g. ${c.cli} ${JSON.stringify(c.args).slice(0, 80)} → ${run.code} ${run.stderr.split("\n")[0].slice(0, 110)}`);
    }
  }, 240_000);
});
