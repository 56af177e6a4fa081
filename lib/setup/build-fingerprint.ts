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

export function sourceFingerprint(root = "."): string {
  const h = createHash("sha256");
  const walk = (rel: string) => {
    const p = path.join(root, rel);
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const e of fs.readdirSync(p).sort()) walk(path.join(rel, e));
    else h.update(`${rel}:${st.size}:${st.mtimeMs}\n`);
  };
  BUILD_SOURCES.forEach(walk);
  return h.digest("hex");
}
