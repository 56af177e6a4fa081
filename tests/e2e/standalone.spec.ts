import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { exited } from "./process";

// The container's start path without Docker: assemble the runtime image's /app the way the
// Dockerfile does (.next/standalone + .next/static + public + the bundled prepare step + the
// entrypoint) in a temporary directory, run scripts/docker-entrypoint.sh there with the image's
// environment, and check the standalone server it execs. Runs after `npm run build:standalone` (test:e2e).

const root = path.resolve(__dirname, "../..");
const standalone = path.join(root, ".next", "standalone");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

test.describe.configure({ mode: "serial" });

test.describe("standalone server, started like the container", () => {
  let dir: string;
  let app: string;
  let dataDir: string;
  let logFile: string;
  let port: number;
  let server: ChildProcess | undefined;
  const log = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "");

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    if (!fs.existsSync(path.join(standalone, "server.js"))) {
      throw new Error(".next/standalone/server.js is missing: run `npm run build:standalone` (MATINEE_STANDALONE=1 makes next.config.ts ask for output: \"standalone\")");
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "matinee-standalone-"));
    app = path.join(dir, "app");
    dataDir = path.join(dir, "data");
    fs.mkdirSync(dataDir); // the image's /data (Dockerfile: mkdir -p /data, a VOLUME): DATABASE_PATH's folder must exist
    logFile = path.join(dir, "server.log");
    // Copy, keeping symlinks as they are (Next links hashed external-package names into node_modules).
    fs.cpSync(standalone, app, { recursive: true, verbatimSymlinks: true });
    fs.cpSync(path.join(root, ".next", "static"), path.join(app, ".next", "static"), { recursive: true });
    fs.mkdirSync(path.join(app, "public"), { recursive: true });
    if (fs.existsSync(path.join(root, "public"))) fs.cpSync(path.join(root, "public"), path.join(app, "public"), { recursive: true });
    const bundle = spawnSync(process.execPath, ["deploy/docker/bundle-prepare.mjs", path.join(app, "prepare.cjs")], { cwd: root, encoding: "utf8" });
    if (bundle.status !== 0) throw new Error(`bundle-prepare failed:\n${bundle.stdout}\n${bundle.stderr}`);
    fs.copyFileSync(path.join(root, "scripts", "docker-entrypoint.sh"), path.join(app, "docker-entrypoint.sh"));

    port = await freePort();
    const out = fs.openSync(logFile, "a");
    // Only what the image sets (Dockerfile ENV), with the port and loopback host of this test; no
    // AUTH_SECRET, so the entrypoint's generated-secret path runs too.
    server = spawn("sh", [path.join(app, "docker-entrypoint.sh")], {
      env: {
        PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? "/usr/bin:/bin"}`,
        HOME: dir,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        PORT: String(port),
        HOSTNAME: "127.0.0.1",
        DATABASE_PATH: path.join(dataDir, "matinee.db"),
      },
      stdio: ["ignore", out, out],
    });
    const deadline = Date.now() + 150_000;
    while (Date.now() < deadline) {
      if (server.exitCode !== null) throw new Error(`entrypoint exited with ${server.exitCode}:\n${log()}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return;
      } catch {
        // still preparing, or not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`standalone server did not become healthy:\n${log()}`);
  });

  test.afterAll(async () => {
    if (server?.pid !== undefined && server.exitCode === null) {
      process.kill(server.pid, "SIGTERM");
      if (!(await exited(server, 10_000))) process.kill(server.pid, "SIGKILL");
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("the standalone output carries the migrations and the seed catalog the prepare step reads", () => {
    const migrations = (d: string) => fs.readdirSync(path.join(d, "drizzle")).filter((f) => f.endsWith(".sql")).sort();
    expect(migrations(app)).toEqual(migrations(root));
    expect(fs.existsSync(path.join(app, "drizzle", "meta", "_journal.json"))).toBe(true);
    expect(fs.statSync(path.join(app, "drizzle", "seed", "tmdb-catalog.json")).size).toBe(
      fs.statSync(path.join(root, "drizzle", "seed", "tmdb-catalog.json")).size,
    );
    // The native addon is traced, and no local database or env file leaked into the output.
    expect(fs.existsSync(path.join(app, "node_modules", "better-sqlite3", "build", "Release", "better_sqlite3.node"))).toBe(true);
    const leaked = fs.readdirSync(app).filter((f) => f === "data" || f.startsWith(".env") || f.endsWith(".db"));
    expect(leaked).toEqual([]);
  });

  test("the entrypoint prepared the database, kept a generated secret beside it, and the server bound HOSTNAME:PORT", () => {
    expect(fs.existsSync(path.join(dataDir, "matinee.db"))).toBe(true);
    expect(log()).toMatch(/catalog: seeded 4803 new/);
    expect(log()).toMatch(/model: trained version \d+/);
    const secret = path.join(dataDir, ".auth-secret");
    expect(fs.readFileSync(secret, "utf8").length).toBeGreaterThanOrEqual(32);
    expect(fs.statSync(secret).mode & 0o077).toBe(0);
    expect(log()).toContain(`127.0.0.1:${port}`);
  });

  test("/api/health is 200 with the bundled catalog, and /api/health/ready reports a serving model", async ({ request }) => {
    const health = await request.get(`http://127.0.0.1:${port}/api/health`);
    expect(health.status()).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", db: "ok", catalogSize: 4803 });
    const ready = await request.get(`http://127.0.0.1:${port}/api/health/ready`);
    expect(ready.status()).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, servingModelVersion: expect.any(Number) });
  });

  test("/api/metrics serves Prometheus text from the standalone output (prom-client is traced)", async ({ request }) => {
    const metrics = await request.get(`http://127.0.0.1:${port}/api/metrics`);
    expect(metrics.status()).toBe(200);
    expect(await metrics.text()).toMatch(/^matinee_catalog_movies 4803$/m);
  });

  test("the home page renders poster cards, with the static assets copied beside server.js", async ({ page }) => {
    const staticResponses: { url: string; status: number }[] = [];
    page.on("response", (res) => {
      if (res.url().includes("/_next/static/")) staticResponses.push({ url: res.url(), status: res.status() });
    });
    await page.goto(`http://127.0.0.1:${port}/`);
    const cards = page.getByTestId("poster-card");
    await expect(cards.nth(11)).toBeVisible();
    const firstImg = cards.first().locator("img");
    await expect
      .poll(() => firstImg.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
      .toBe(true);
    expect(staticResponses.length).toBeGreaterThan(0);
    expect(staticResponses.filter((r) => r.status >= 400)).toEqual([]);
  });

  test("SIGTERM to the server's PID stops it", async () => {
    // The entrypoint execs node, so the PID we spawned is the server itself.
    expect(server!.exitCode).toBeNull();
    process.kill(server!.pid!, "SIGTERM");
    expect(await exited(server!, 10_000)).toBe(true);
  });
});
