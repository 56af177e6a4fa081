// Bundle scripts/prepare.ts (migrate, seed, simulate, train) into one CommonJS file for the
// runtime image, so the container runs the prepare step with plain `node` instead of shipping
// tsx, TypeScript sources and the full node_modules. better-sqlite3 stays external: it is a native
// addon, and the standalone output already carries it (traced by Next).
//
// The same bundling serves the background-job worker (scripts/worker.ts → worker.cjs), which the
// app launches with plain `node` when worker.cjs sits in its directory.
//
//   node deploy/docker/bundle-prepare.mjs <outfile> [entry=scripts/prepare.ts]
//   (Dockerfile, tests/e2e/standalone.spec.ts)
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const outfile = process.argv[2];
const entry = process.argv[3] ?? "scripts/prepare.ts";
if (!outfile) {
  console.error("usage: node deploy/docker/bundle-prepare.mjs <outfile> [entry]");
  process.exit(2);
}

await build({
  absWorkingDir: root,
  entryPoints: [entry],
  outfile: path.resolve(outfile),
  bundle: true,
  platform: "node",
  target: "node20",
  // CommonJS keeps the bundled CJS dependencies' require() calls working without an ESM shim.
  format: "cjs",
  tsconfig: "tsconfig.json", // the "@/..." path alias
  external: ["better-sqlite3"],
  legalComments: "none",
  logLevel: "warning",
});
