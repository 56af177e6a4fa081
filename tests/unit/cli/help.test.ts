import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Every command-line script an operator runs (npm run <name>, scripts/*.ts) says in its --help
// what its exit codes mean, so a scheduler or a shell script can act on them. Read from the
// sources: spawning each script would cost seconds per script for the same text.
const SCRIPTS = fs.readdirSync("scripts").filter((f) => f.endsWith(".ts"));

function helpText(file: string): string | undefined {
  const source = fs.readFileSync(path.join("scripts", file), "utf8");
  return /const (?:HELP|help) = `([\s\S]*?)`;/.exec(source)?.[1];
}

describe("script help", () => {
  it("finds the scripts", () => {
    expect(SCRIPTS).toEqual(expect.arrayContaining(["crawl.ts", "train.ts", "worker.ts", "start.ts"]));
  });

  it.each(SCRIPTS)("%s has a help text that lists its exit codes", (file) => {
    const help = helpText(file);
    expect(help, `${file}: no HELP text`).toBeDefined();
    expect(help).toMatch(/Exit codes: 0\s[^·]+·\s1\s[^·]+·\s2\s/);
  });
});
