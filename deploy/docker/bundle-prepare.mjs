// Bundle scripts/prepare.ts (migrate, seed, simulate, train) into one CommonJS file for the
// runtime image, so the container runs the prepare step with plain `node` instead of shipping
// tsx, TypeScript sources and the full node_modules. better-sqlite3 stays external: it is a native
// addon, and the standalone output already carries it (traced by Next).
//
// The same bundling serves the background-job worker (scripts/worker.ts → worker.cjs), which the
// app launches with plain `node` when worker.cjs sits in its directory, and the training CLI
// (scripts/train.ts → train.cjs), which the sharded training Jobs of deploy/k8s/scale-out run as
// `node /app/train.cjs --shards N --run ID`.
//
// pg-native stays external too: the `pg` driver (DATABASE_URL) require()s it only when its native
// bindings are asked for (pg.native, NODE_PG_FORCE_NATIVE), and it is not installed. esbuild
// tolerates the unresolvable require() because it sits in a try; marking it external says so.
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
  external: ["better-sqlite3", "pg-native"],
  legalComments: "none",
  logLevel: "warning",
});
