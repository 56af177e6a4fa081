// For development and benchmarks only: a throw-away local PostgreSQL (deleted on exit) — `npx tsx scripts/pg-dev.ts [--port 5433]`.
import { parseArgs } from "node:util";
import { createDatabase, databaseUrl } from "@/tests/helpers/pg-databases";
import { startPostgres } from "@/tests/helpers/pg-server";

const HELP = `usage: npx tsx scripts/pg-dev.ts [--port 5433]

Starts a throw-away PostgreSQL server (a new temporary data directory, trust authentication, fsync
off) on 127.0.0.1 — on --port, or on a free port — creates the database \`matinee\`, prints its
DATABASE_URL and runs until Ctrl-C, which stops the server and deletes the directory.
Needs PostgreSQL's server binaries: apt-get install -y postgresql.

Exit codes: 0 stopped by Ctrl-C / SIGTERM (the directory deleted) · 1 PostgreSQL could not be
started or stopped (e.g. its binaries are missing) · 2 bad arguments.`;

async function main(): Promise<void> {
  let values: { port?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: process.argv.slice(2), options: { port: { type: "string" }, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: false }));
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n\n${HELP}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port < 1 || port > 65535) {
      process.stderr.write(`error: --port must be a port number (1-65535), not ${JSON.stringify(values.port)}\n`);
      process.exit(2);
    }
  }

  const server = await startPostgres({ port });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: stopping PostgreSQL and deleting ${server.dataDir}\n`);
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`error: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGHUP", () => shutdown("SIGHUP"));

  try {
    createDatabase(server.url, "matinee");
  } catch (err) {
    await server.stop();
    throw err;
  }
  console.log(`DATABASE_URL=${databaseUrl(server.url, "matinee")}`);
  process.stderr.write(`PostgreSQL on 127.0.0.1:${server.port} (admin ${server.url}, data ${server.dataDir}); Ctrl-C stops it.\n`);
  setInterval(() => {}, 1 << 30); // keep running until a signal
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${(err as Error).message}\n`);
  process.exit(1);
});
