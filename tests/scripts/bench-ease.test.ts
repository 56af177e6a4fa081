import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRng } from "@/lib/recs/split";
import { runScript } from "../helpers/run-script";

// npm run bench:ease on a small planted file: twelve variants, each config's nDCG@10, the means, and
// the first variant's numbers equal to what `npm run evaluate` reports for the same split and params.

let dir: string;
let file: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "matinee-bench-ease-"));
  file = path.join(dir, "u.data");
  const rng = createRng(3);
  const lines: string[] = [];
  for (let u = 1; u <= 90; u++) {
    const items = new Set<number>();
    const length = 8 + Math.floor(rng() * 20);
    // four taste clusters of 15 movies each, and a few picks anywhere
    while (items.size < length) items.add(rng() < 0.8 ? 1 + (u % 4) * 15 + Math.floor(rng() * 15) : 1 + Math.floor(rng() * 60));
    for (const i of items) lines.push(`${u}\t${i}\t4\t${900_000_000 + lines.length}`);
  }
  fs.writeFileSync(file, lines.join("\n") + "\n");
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("npm run bench:ease", () => {
  it("prints twelve variants for the plain model, the defaults and --also, and their means", async () => {
    const run = await runScript("bench/ease-variants.ts", ["--ratings", file, "--also", '{"lambda":300,"userExponent":0}', "--json"], { timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as {
      configs: { label: string; params: Record<string, unknown> }[];
      results: { variant: string; ndcg: Record<string, number> }[];
      mean: Record<string, { chosenOn: number; after: number; all: number }>;
    };
    expect(out.configs.map((c) => c.label)).toEqual(["plain", "default", "also"]);
    expect(out.configs[2].params).toMatchObject({ lambda: 300, userExponent: 0, popularityExponent: -0.1 });
    expect(out.results.map((r) => r.variant)).toHaveLength(12);
    for (const r of out.results) for (const label of ["plain", "default", "also"]) expect(r.ndcg[label]).toBeGreaterThan(0.05);
    const all = out.results.reduce((s, r) => s + r.ndcg.default, 0) / 12;
    expect(out.mean.default.all).toBeCloseTo(all, 3);

    const evaluate = await runScript("evaluate.ts", ["--ratings", file, "--split", "item:0.75", "--seed", "42", "--model", "ease", "--lambda", "250", "--user-exponent", "0", "--popularity-exponent", "0"]);
    expect(evaluate.code, evaluate.stderr).toBe(0);
    const ndcg = (JSON.parse(evaluate.stdout) as { metrics: Record<string, number> }).metrics["ndcg@10"];
    expect(out.results[0]).toMatchObject({ variant: "small-item-42" });
    expect(out.results[0].ndcg.plain).toBeCloseTo(ndcg, 4);
  }, 180_000);

  it("refuses bad --also parameters before doing any work", async () => {
    const bad = await runScript("bench/ease-variants.ts", ["--ratings", file, "--also", '{"userExponent":5}']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: --also: userExponent: must be at most 2/m);
    const notJson = await runScript("bench/ease-variants.ts", ["--ratings", file, "--also", "{"]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/^error: --also: not JSON/m);
  });
});
