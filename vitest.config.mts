import path from "node:path";
import { defineConfig } from "vitest/config";

// Two projects: every test on SQLite (the embedded default), and the database-facing suites
// (API handlers, engine, jobs, data services, the train CLI) again on a real PostgreSQL server
// that tests/setup/pg-global.ts starts for the run. DATABASE_URL here only selects the dialect at
// import time; tests/helpers/temp-db.ts points it at a fresh database per test file.
const POSTGRES_SUITES = [
  "tests/api/**/*.test.ts",
  "tests/unit/jobs/**/*.test.ts",
  "tests/unit/recs/**/*.test.ts",
  "tests/unit/mlops/**/*.test.ts",
  "tests/unit/interactions/**/*.test.ts",
  "tests/unit/catalog/**/*.test.ts",
  "tests/unit/experiments/**/*.test.ts",
  "tests/unit/auth/**/*.test.ts",
  "tests/unit/account/**/*.test.ts",
  "tests/unit/simulate/**/*.test.ts",
  "tests/unit/tmdb/**/*.test.ts",
  "tests/unit/db/**/*.test.ts",
  "tests/scripts/train.test.ts",
  "tests/scripts/crawl.test.ts",
  "tests/scripts/runs.test.ts",
  "tests/scripts/simulate-traffic.test.ts",
  "tests/scripts/train-shards.test.ts",
  "tests/scripts/simulate-import.test.ts",
  "tests/scripts/cli-arguments.test.ts",
];

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    server: { deps: { inline: ["next-auth"] } },
    projects: [
      {
        extends: true,
        test: {
          name: "sqlite",
          include: ["tests/unit/**/*.test.ts", "tests/api/**/*.test.ts", "tests/scripts/**/*.test.ts", "tests/reliability/**/*.test.ts"],
          exclude: ["tests/unit/db/postgres-*.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "postgres",
          include: POSTGRES_SUITES,
          exclude: [
            "tests/unit/db/pg-server.test.ts",
            // the --scale bulk loader writes through better-sqlite3 and refuses PostgreSQL by design
            "tests/unit/simulate/scale-run.test.ts",
          ],
          globalSetup: ["tests/setup/pg-global.ts"],
          env: { MATINEE_TEST_DIALECT: "postgres", DATABASE_URL: "postgres://dialect-placeholder@127.0.0.1:1/none" },
        },
      },
    ],
  },
});
