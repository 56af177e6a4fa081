// npm start — build if the sources changed, prepare the embedded default, serve on PORT.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { CliError, parseCliArgs, runCli } from "@/lib/cli";
import { closeDb } from "@/lib/db";
import { childProcessEnv, getEnv } from "@/lib/env";
import { sourceFingerprint } from "@/lib/setup/build-fingerprint";
import { prepareEmbeddedDefault, trainingFailure } from "@/lib/setup/prepare";
import { superviseServer } from "@/lib/setup/supervise";

const HELP = `usage: npm start

Builds the production bundle when the sources changed, prepares the embedded default (as
npm run prepare-data does: migrations, the bundled catalog, simulated users, a first model; each
step only when not done yet) and serves the app with next start.

Takes no arguments but -h / --help. Environment:
  PORT                 port to serve on                              [default: 3000]
  DATABASE_PATH        SQLite file                                   [default: data/matinee.db]
  DATABASE_URL         postgres://user:pass@host:5432/db: PostgreSQL instead of DATABASE_PATH
  AUTH_SECRET          session secret; generated into .auth-secret beside the database when unset
  (the rest: README, Configuration)

Exit codes: 0 the server stopped by Ctrl-C / SIGTERM · 1 the build, the preparation or the server
failed · 2 bad arguments or environment.`;

const NEXT_BIN = path.join("node_modules", "next", "dist", "bin", "next");
const FINGERPRINT_FILE = path.join(".next", "matinee-source-fingerprint");

function buildIfNeeded() {
  const fp = sourceFingerprint();
  const built = fs.existsSync(path.join(".next", "BUILD_ID")) && fs.existsSync(FINGERPRINT_FILE) && fs.readFileSync(FINGERPRINT_FILE, "utf8") === fp;
  if (built) {
    console.log("build: up to date");
    return;
  }
  console.log("build: building the production bundle (next build)…");
  const res = spawnSync(process.execPath, [NEXT_BIN, "build"], { stdio: "inherit", env: childProcessEnv({}) });
  if (res.status !== 0) throw new CliError("next build failed (see the output above)");
  fs.writeFileSync(FINGERPRINT_FILE, fp);
}

/** AUTH_SECRET from the env, or one generated once and kept beside the database. */
function authSecret(): string {
  const env = getEnv();
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  const file = path.join(path.dirname(path.resolve(env.DATABASE_PATH)), ".auth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
  }
  console.warn(`auth: AUTH_SECRET not set; using the generated secret in ${file} (set AUTH_SECRET in production)`);
  return fs.readFileSync(file, "utf8").trim();
}

runCli(async () => {
  parseCliArgs(process.argv.slice(2), {}, z.object({}), HELP);
  const env = getEnv();
  buildIfNeeded();
  const report = await prepareEmbeddedDefault((line) => console.log(line)).catch(trainingFailure);
  console.log(`prepare: done in ${report.seconds.toFixed(1)}s`);
  closeDb();
  const server = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(env.PORT)], {
    stdio: "inherit",
    env: childProcessEnv({ AUTH_SECRET: authSecret(), NODE_ENV: "production" }),
  });
  const parent = process.ppid;
  await superviseServer(server, { signals: process, parentAlive: () => process.ppid === parent }).catch((err: Error) => {
    throw new CliError(err.message);
  });
});
