import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * What `next build` compiles or reads, relative to the app directory: `npm start` rebuilds when
 * any of it changed (by path, size and modification time). proxy.ts is Next's request proxy
 * (formerly middleware), compiled into the build like the app.
 */
export const BUILD_SOURCES = [
  "app",
  "components",
  "lib",
  "public",
  "drizzle",
  "proxy.ts",
  "instrumentation.ts",
  "package-lock.json",
  "next.config.ts",
  "postcss.config.mjs",
  "tsconfig.json",
];

/** Every source file's path (relative to root) and stats, in a stable order. */
function eachSource(root: string, visit: (rel: string, st: fs.Stats) => void): void {
  const walk = (rel: string) => {
    const p = path.join(root, rel);
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const e of fs.readdirSync(p).sort()) walk(path.join(rel, e));
    else visit(rel, st);
  };
  BUILD_SOURCES.forEach(walk);
}

export function sourceFingerprint(root = "."): string {
  const h = createHash("sha256");
  eachSource(root, (rel, st) => h.update(`${rel}:${st.size}:${st.mtimeMs}\n`));
  return h.digest("hex");
}

/** Where `npm start` records the fingerprint of the sources it built. */
export const FINGERPRINT_FILE = path.join(".next", "matinee-source-fingerprint");

/**
 * Whether root/.next holds a build of the current sources: the fingerprint `npm start` recorded
 * when it built matches them; or, with none recorded (a build made by `npm run build`, which
 * `npm start` rebuilt once more), the build finished after every source last changed. A
 * standalone build (`npm run build:standalone`) is not one `next start` serves as it is.
 */
export function isBuildCurrent(root = "."): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return false;
  const recorded = path.join(root, FINGERPRINT_FILE);
  if (fs.existsSync(recorded)) return fs.readFileSync(recorded, "utf8") === sourceFingerprint(root);
  if (fs.existsSync(path.join(root, ".next", "standalone"))) return false;
  let newest = 0;
  eachSource(root, (_rel, st) => (newest = Math.max(newest, st.mtimeMs)));
  return fs.statSync(buildId).mtimeMs > newest;
}
