import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { evaluateModel, formatRecommendations, joinTables, splitTable } from "@/lib/recs/evaluate";
import { parseRatings } from "@/lib/recs/io";
import { plantedUData } from "./planted";

const root = path.resolve(__dirname, "../../..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "matinee-eval-"));
const ratingsFile = path.join(dir, "u.data");
fs.writeFileSync(ratingsFile, plantedUData());
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function evaluateCli(...args: string[]) {
  const r = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["scripts/evaluate.ts", ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("evaluateModel", () => {
  const table = parseRatings(fs.readFileSync(ratingsFile));

  it("evaluates every training user and reports the documented shape", () => {
    const run = evaluateModel(splitTable(table, "item", 0.75, 42), { model: "item-knn", params: { neighbors: 20 }, k: 5 });
    const r = run.report;
    expect(Object.keys(r.metrics)).toEqual(["precision@5", "recall@5", "ndcg@5", "map"]);
    expect(r.users).toBe(run.lists.length);
    expect(r.trainInteractions + r.testInteractions).toBe(table.length);
    expect(r.metrics["ndcg@5"]).toBeGreaterThan(0);
    expect(r.coverage).toBeGreaterThan(0);
    expect(r.novelty).toBeGreaterThanOrEqual(1);
    const lines = formatRecommendations(run).trim().split("\n");
    expect(lines.length).toBe(5 * r.users);
    expect(lines[0]).toMatch(/^\d+\t\d+\t-?[\d.e+-]+$/);
  });

  it("joins separate train and test files on their ids", () => {
    const train = parseRatings("1\t10\t5\t0\n2\t10\t5\t0\n2\t20\t5\t0\n");
    const test = parseRatings("1\t20\t5\t0\n3\t30\t5\t0\n");
    const joined = joinTables(train, test);
    expect(joined.table.itemIds).toEqual(["10", "20", "30"]);
    expect(Array.from(joined.test, (row) => joined.table.itemIds[joined.table.items[row]])).toEqual(["20", "30"]);
    const run = evaluateModel(joined, { model: "popularity", k: 1 });
    // user 1's only unseen training item is 20, which is its held-out item; user 3 has no training data
    expect(run.report.evaluatedUsers).toBe(1);
    expect(run.report.metrics["ndcg@1"]).toBe(1);
  });

  it("fits the model with the given row weights (training's validation), weight 1 without them", () => {
    // Item 1 has three interactions at weight 0.5 (watchlist adds), item 2 two at weight 1. User 9's
    // held-out item is 2: unweighted, popularity recommends item 1 (3 users); weighted, item 2 (2 > 1.5).
    const rows = ["1\t1", "2\t1", "3\t1", "4\t2", "5\t2", "9\t3", "9\t2"];
    const table = parseRatings(rows.map((r) => `${r}\t1\t0`).join("\n"));
    const weights = Float32Array.of(0.5, 0.5, 0.5, 1, 1, 1, 1);
    const data = { table, train: Int32Array.of(0, 1, 2, 3, 4, 5), test: Int32Array.of(6) };
    expect(evaluateModel(data, { model: "popularity", k: 1 }).report.metrics["precision@1"]).toBe(0);
    expect(evaluateModel({ ...data, weights }, { model: "popularity", k: 1 }).report.metrics["precision@1"]).toBe(1);
  });

  it("does not hold out a pair that is also in training (a duplicated line split across both sides)", () => {
    // User 1 rated 10 and 20 in train; the test file repeats (1, 10) and adds (1, 30). The repeated
    // pair is a training item: it is excluded from the list, so counting it as relevant would make
    // a perfect list look like half a hit. Duplicate pairs count once, on the training side.
    const train = parseRatings("1\t10\t5\t0\n1\t20\t5\t0\n2\t30\t5\t0\n2\t10\t5\t0\n");
    const test = parseRatings("1\t10\t4\t1\n1\t30\t5\t0\n");
    const run = evaluateModel(joinTables(train, test), { model: "popularity", k: 1 });
    expect(run.report.testInteractions).toBe(1);
    expect(run.report.evaluatedUsers).toBe(1);
    expect(run.report.metrics["recall@1"]).toBe(1);
    expect(run.report.metrics["ndcg@1"]).toBe(1);
    expect(run.report.metrics["map"]).toBe(1);

    // The same through the stratified split of one file with a duplicated line: whatever side the
    // copies land on, no held-out pair is one of the user's training pairs.
    const lines: string[] = [];
    for (let u = 1; u <= 8; u++) for (let i = 1; i <= 8; i++) if ((u * i) % 3 !== 0) lines.push(`${u}\t${i}\t4\t0`);
    for (let i = 1; i <= 8; i++) if (i % 3 !== 0) lines.push(`1\t${i}\t5\t1`); // user 1's lines, twice
    const table = parseRatings(lines.join("\n"));
    const pairs = new Set(lines.map((l) => l.split("\t").slice(0, 2).join(":")));
    for (const seed of [1, 2, 3, 42]) {
      const report = evaluateModel(splitTable(table, "item", 0.75, seed), { model: "popularity", k: 3 }).report;
      expect(report.trainInteractions + report.testInteractions).toBe(pairs.size);
    }
  });
});

describe("npm run evaluate", () => {
  it("prints only the JSON report on stdout and writes the recommendations file", () => {
    const recsOut = path.join(dir, "recs.tsv");
    const { code, stdout, stderr } = evaluateCli("--ratings", ratingsFile, "--split", "user:0.75", "--model", "item-knn", "--neighbors", "20", "--k", "5", "--recs-out", recsOut);
    expect(stderr).not.toMatch(/error/);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(["model", "params", "users", "items", "trainInteractions", "testInteractions", "metrics", "fitSeconds", "recommendSeconds", "coverage", "novelty"]),
    );
    expect(report.model).toBe("item-knn");
    expect(report.params).toMatchObject({ neighbors: 20 });
    expect(Object.keys(report.metrics)).toEqual(["precision@5", "recall@5", "ndcg@5", "map"]);
    const lines = fs.readFileSync(recsOut, "utf8").trim().split("\n");
    expect(lines.length).toBe(report.users * 5);
  });

  it("fails with one clear line on a bad file or a flag of another model", () => {
    const bad = path.join(dir, "bad.data");
    fs.writeFileSync(bad, "1\t2\t5\t0\n1\t2\n");
    const r1 = evaluateCli("--ratings", bad);
    expect(r1.code).not.toBe(0);
    expect(r1.stderr).toMatch(/bad\.data:2: expected 3 or 4 fields/);
    expect(r1.stderr).not.toMatch(/\n\s+at /);
    expect(r1.stdout).toBe("");

    const r2 = evaluateCli("--ratings", ratingsFile, "--model", "popularity", "--lambda", "10");
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/--lambda does not apply to model popularity/);
  });

  it("takes a parameter that is a choice of words (item-knn --normalize) as a word, and numbers in digits only", () => {
    const ok = evaluateCli("--ratings", ratingsFile, "--model", "item-knn", "--neighbors", "20", "--normalize", "history", "--k", "5");
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).params).toMatchObject({ neighbors: 20, normalize: "history" });
    const bad = evaluateCli("--ratings", ratingsFile, "--model", "item-knn", "--normalize", "sideways");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: invalid model parameters: --normalize: must be one of none, candidate, history, history-total$/m);
    const hex = evaluateCli("--ratings", ratingsFile, "--model", "item-knn", "--neighbors", "0x10");
    expect(hex.code).toBe(2);
    expect(hex.stderr).toMatch(/--neighbors: must be a number written in digits/);
  });

  it("fails instead of reporting zero metrics when no user can be evaluated", () => {
    const tiny = path.join(dir, "tiny.data");
    fs.writeFileSync(tiny, "1\t10\t5\t0\n2\t20\t4\t0\n"); // two users, one rating each: no user has both a training and a test item
    const r = evaluateCli("--ratings", tiny, "--split", "user:0.5");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: no user could be evaluated \(/m);
    expect(r.stdout).toBe("");
  });

  it("refuses a --recs-out it cannot write before evaluating", () => {
    const r = evaluateCli("--ratings", ratingsFile, "--recs-out", dir); // a directory
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--recs-out .*: is a directory, not a file/);
    expect(r.stderr).not.toMatch(/item-knn|ease|fit/); // no progress: nothing was evaluated
    expect(r.stdout).toBe("");
  });
});
