import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase, databaseUrl, dropDatabase } from "@/tests/helpers/pg-databases";
import { findPgBinDir, startPostgres, type PgServer } from "@/tests/helpers/pg-server";

function datnames(port: number): string[] {
  const out = execFileSync(path.join(findPgBinDir(), "psql"), ["-X", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "postgres", "-tAc", "select datname from pg_database"], { encoding: "utf8" });
  return out.trim().split("\n");
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: "127.0.0.1", port }, () => {
      sock.destroy();
      resolve(true);
    });
    sock.on("error", () => resolve(false));
  });
}

describe("throw-away PostgreSQL server", () => {
  let server: PgServer | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it("starts, creates and drops databases, stops and leaves nothing behind", async () => {
    server = await startPostgres();
    const { url, port, dataDir } = server;
    expect(url).toBe(`postgres://postgres@127.0.0.1:${port}/postgres`);
    expect(fs.existsSync(path.join(dataDir, "PG_VERSION"))).toBe(true);
    expect(await accepts(port)).toBe(true);

    createDatabase(url, "matinee_pgtest");
    createDatabase(url, "matinee_pgtest_copy", "matinee_pgtest");
    expect(datnames(port)).toEqual(expect.arrayContaining(["postgres", "matinee_pgtest", "matinee_pgtest_copy"]));
    expect(databaseUrl(url, "matinee_pgtest")).toBe(`postgres://postgres@127.0.0.1:${port}/matinee_pgtest`);

    dropDatabase(url, "matinee_pgtest_copy");
    dropDatabase(url, "matinee_pgtest");
    dropDatabase(url, "matinee_pgtest"); // IF EXISTS: dropping twice is fine
    expect(datnames(port)).not.toContain("matinee_pgtest");
    expect(datnames(port)).not.toContain("matinee_pgtest_copy");

    await server.stop();
    await server.stop(); // idempotent
    expect(fs.existsSync(dataDir)).toBe(false);
    expect(await accepts(port)).toBe(false);
  });

  it("refuses unsafe database names", () => {
    expect(() => createDatabase("postgres://postgres@127.0.0.1:1/postgres", 'x"; drop database postgres; --')).toThrow(/invalid database name/);
    expect(() => databaseUrl("postgres://postgres@127.0.0.1:1/postgres", "Upper")).toThrow(/invalid database name/);
  });

  it("a failed start throws with the server log and removes its directory", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const err = await startPostgres({ port }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err?.message).toMatch(/server log \(tail\)[\s\S]*Address already in use/);
      const dir = /data directory (\S+), removed/.exec(err!.message)?.[1];
      expect(dir).toBeTruthy();
      expect(fs.existsSync(dir!)).toBe(false);
    } finally {
      blocker.close();
    }
  });
});
