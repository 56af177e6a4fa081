import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BUILD_SOURCES, sourceFingerprint } from "@/lib/setup/build-fingerprint";

// `npm start` rebuilds when this fingerprint changes: everything next build compiles must count.
describe("npm start's build fingerprint", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("covers the root files Next compiles into the build (proxy.ts and friends)", () => {
    const root = path.resolve(__dirname, "../../..");
    for (const file of ["proxy.ts", "middleware.ts", "instrumentation.ts", "next.config.ts"]) {
      if (fs.existsSync(path.join(root, file))) expect(BUILD_SOURCES, file).toContain(file);
    }
  });

  it("changes when proxy.ts or a file under app/ changes, not when a script does", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "matinee-fp-"));
    fs.mkdirSync(path.join(dir, "app"));
    fs.mkdirSync(path.join(dir, "scripts"));
    fs.writeFileSync(path.join(dir, "app", "page.tsx"), "a");
    fs.writeFileSync(path.join(dir, "proxy.ts"), "export function proxy() {}");
    fs.writeFileSync(path.join(dir, "scripts", "train.ts"), "x");
    const first = sourceFingerprint(dir);
    expect(sourceFingerprint(dir)).toBe(first);
    fs.writeFileSync(path.join(dir, "scripts", "train.ts"), "xy");
    expect(sourceFingerprint(dir)).toBe(first);
    fs.writeFileSync(path.join(dir, "proxy.ts"), "export function proxy() { return; }");
    const second = sourceFingerprint(dir);
    expect(second).not.toBe(first);
    fs.writeFileSync(path.join(dir, "app", "page.tsx"), "ab");
    expect(sourceFingerprint(dir)).not.toBe(second);
  });
});
