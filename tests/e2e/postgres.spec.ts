import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { createDatabase, databaseUrl, psql } from "../helpers/pg-databases";
import { freePort, startPostgres, type PgServer } from "../helpers/pg-server";
import { ADMIN, PASSWORD } from "./accounts";
import { exited } from "./process";

// Scale-out on PostgreSQL (docs/scale-out.md): one throw-away PostgreSQL server, one database
// prepared by scripts/prepare.ts, and TWO production servers (`next start`) on it with the same
// DATABASE_URL and AUTH_SECRET. Nothing may live in only one instance: accounts, sessions, ratings
// and the serving model are checked across them. DATABASE_PATH points at a path that must never be
// created, so nothing can quietly fall back to SQLite. Needs PostgreSQL's server binaries
// (apt-get install -y postgresql; .ci/run installs them). Runs after `npm run build` (test:e2e).

const AUTH_SECRET = "pg-e2e-secret-pg-e2e-secret-pg-e2e";
const CATALOG_SIZE = 4803;
const SWITCH_WITHIN_MS = 5_000; // serving re-reads the pointer every 2 s (SERVING_TTL_MS)

type Instance = { name: string; port: number; origin: string; child: ChildProcess; logFile: string };

const root = path.resolve(__dirname, "../..");

/** Run `node --import tsx <script> ...args` to completion (bounded); its output goes to logFile. */
async function runScript(args: string[], env: NodeJS.ProcessEnv, logFile: string, timeoutMs: number): Promise<void> {
  const out = fs.openSync(logFile, "a");
  const child = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: root, env, stdio: ["ignore", out, out] });
  fs.closeSync(out);
  const done = new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(signal ? -1 : code));
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const code = await done.finally(() => clearTimeout(timer));
  if (code !== 0) throw new Error(`${args.join(" ")} failed (exit ${code}):\n${fs.readFileSync(logFile, "utf8").slice(-4000)}`);
}

/** Start `next start` on a free port (not the main e2e server's) and wait until /api/health/ready answers 200. */
async function startInstance(name: string, env: NodeJS.ProcessEnv, dir: string, avoid: number[]): Promise<Instance> {
  for (let attempt = 1; ; attempt++) {
    let port = await freePort();
    while (avoid.includes(port)) port = await freePort();
    const logFile = path.join(dir, `server-${name}.log`);
    const out = fs.openSync(logFile, "a");
    const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
      cwd: root,
      env,
      stdio: ["ignore", out, out],
    });
    fs.closeSync(out);
    child.on("error", () => {}); // reported through the log / readiness timeout below
    const origin = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
      try {
        const res = await fetch(`${origin}/api/health/ready`);
        if (res.ok) return { name, port, origin, child, logFile };
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const log = fs.readFileSync(logFile, "utf8");
    child.kill("SIGKILL");
    await exited(child, 5_000);
    // the port was taken between picking and binding: pick another one
    if (/EADDRINUSE/.test(log) && attempt < 3) continue;
    throw new Error(`instance ${name} did not become ready on ${origin}; log:\n${log.slice(-4000)}`);
  }
}

async function stopInstance(instance: Instance | undefined): Promise<void> {
  if (!instance?.child.pid) return;
  try {
    process.kill(instance.child.pid, "SIGTERM");
  } catch {
    return; // already gone
  }
  if (!(await exited(instance.child, 15_000))) instance.child.kill("SIGKILL");
}

async function getJson<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { ...init, cache: "no-store" });
  return { status: res.status, body: (await res.json()) as T };
}

async function signUp(page: Page, origin: string, email: string) {
  await page.goto(`${origin}/signup`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("user-email")).toHaveText(email);
}

async function signIn(page: Page, origin: string, email: string) {
  await page.goto(`${origin}/signin`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("user-email")).toHaveText(email);
}

/** The Auth.js session cookie of a context (authjs.session-token over http). */
async function sessionCookie(context: BrowserContext, origin: string) {
  const cookie = (await context.cookies(origin)).find((c) => /session-token$/.test(c.name));
  expect(cookie, "a session cookie after signing in").toBeTruthy();
  return cookie!;
}

test.describe.configure({ mode: "serial" });

test.describe("two stateless instances on one PostgreSQL database", () => {
  let pg: PgServer | undefined;
  let dbUrl: string;
  let workDir: string;
  let sqliteDir: string; // DATABASE_PATH's folder: must never be created
  let sqlitePath: string;
  let a: Instance | undefined;
  let b: Instance | undefined;
  let env: NodeJS.ProcessEnv;
  const contexts: BrowserContext[] = [];
  const userEmail = `pg-user-${Date.now()}@example.com`;

  const newPage = async (browser: Browser) => {
    const context = await browser.newContext();
    contexts.push(context);
    return { context, page: await context.newPage() };
  };
  const instances = () => [a!, b!];

  test.beforeAll(async () => {
    test.setTimeout(300_000);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "matinee-pg-e2e-"));
    sqliteDir = path.join(os.tmpdir(), `matinee-pg-e2e-sqlite-${process.pid}-${Date.now()}`);
    sqlitePath = path.join(sqliteDir, "must-not-exist.db");
    pg = await startPostgres();
    createDatabase(pg.url, "matinee_e2e");
    dbUrl = databaseUrl(pg.url, "matinee_e2e");
    env = {
      ...process.env,
      DATABASE_URL: dbUrl,
      DATABASE_PATH: sqlitePath,
      NEXT_TELEMETRY_DISABLED: "1",
    };

    const started = Date.now();
    await runScript(["scripts/prepare.ts"], env, path.join(workDir, "prepare.log"), 240_000);
    console.log(`postgres e2e: prepared ${dbUrl.replace(/^postgres:\/\/[^@]*@/, "")} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(fs.existsSync(sqlitePath), `prepare on PostgreSQL created the SQLite file ${sqlitePath}`).toBe(false);
    expect(fs.existsSync(sqliteDir), `prepare on PostgreSQL created ${sqliteDir}`).toBe(false);
    expect(Number(psql(dbUrl, "select count(*) from movies").trim())).toBe(CATALOG_SIZE);

    const serverEnv: NodeJS.ProcessEnv = {
      ...env,
      AUTH_SECRET,
      NODE_ENV: "production",
      ADMIN_EMAILS: ADMIN,
      // every request here comes from 127.0.0.1; the limiter itself is tested elsewhere
      API_RATE_LIMIT: "1000000",
    };
    const avoid = [Number(process.env.E2E_PORT ?? "3217"), pg.port];
    // Both at once; keep whichever started, so afterAll stops it even if the other one failed.
    const launched = await Promise.allSettled([startInstance("A", serverEnv, workDir, avoid), startInstance("B", serverEnv, workDir, avoid)]);
    [a, b] = launched.map((r) => (r.status === "fulfilled" ? r.value : undefined));
    for (const r of launched) if (r.status === "rejected") throw r.reason;
    expect(a!.port).not.toBe(b!.port);
  });

  // A failed test keeps what the instances and scripts printed, in its test-results folder.
  test.afterEach(async ({}, testInfo) => {
    if (testInfo.status === testInfo.expectedStatus || !workDir || !fs.existsSync(workDir)) return;
    for (const file of fs.readdirSync(workDir).filter((f) => f.endsWith(".log"))) {
      await testInfo.attach(file, { path: path.join(workDir, file), contentType: "text/plain" });
    }
  });

  test.afterAll(async () => {
    test.setTimeout(90_000);
    for (const context of contexts) await context.close().catch(() => {});
    await Promise.all([stopInstance(a), stopInstance(b)]);
    await pg?.stop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  test("both instances serve the poster grid and the 4,803-movie catalog", async ({ browser }) => {
    const { page } = await newPage(browser);
    const serving: number[] = [];
    for (const instance of instances()) {
      await page.goto(`${instance.origin}/`);
      const cards = page.getByTestId("poster-card");
      await expect(cards.nth(11)).toBeVisible();
      expect(await cards.count()).toBeGreaterThanOrEqual(12);
      await expect(cards.first().locator("img")).toHaveAttribute("alt", ""); // decorative: the card is named by its title

      const health = await getJson<{ status: string; db: string; catalogSize: number }>(`${instance.origin}/api/health`);
      expect(health.status, instance.name).toBe(200);
      expect(health.body).toMatchObject({ status: "ok", db: "ok", catalogSize: CATALOG_SIZE });
      const ready = await getJson<{ ready: boolean; servingModelVersion: number }>(`${instance.origin}/api/health/ready`);
      expect(ready.body.ready, instance.name).toBe(true);
      serving.push(ready.body.servingModelVersion);
    }
    expect(serving[0]).toBe(serving[1]);
  });

  // Browser cookies are scoped to the host, not the port, so one context would carry A's cookie to B
  // by itself: every step below uses a fresh context and hands over exactly what it means to.
  test("an account made on A signs in on B, and A's session cookie is accepted by B", async ({ browser }) => {
    // Signed out, B's My ratings sends you to sign in.
    const { page: anon } = await newPage(browser);
    await anon.goto(`${b!.origin}/me/ratings`);
    await expect(anon).toHaveURL(/\/signin/);

    const { context: onA, page: pageA } = await newPage(browser);
    await signUp(pageA, a!.origin, userEmail);

    // A fresh browser signs in on B with the password set on A (one users table).
    const { page: pageB } = await newPage(browser);
    await signIn(pageB, b!.origin, userEmail);
    await pageB.goto(`${b!.origin}/me/ratings`);
    await expect(pageB.getByRole("heading", { level: 1, name: "My ratings" })).toBeVisible();

    // The cookie A issued, and nothing else, in another fresh browser: B accepts it (one AUTH_SECRET).
    const cookie = await sessionCookie(onA, a!.origin);
    const { context: carried, page: pageC } = await newPage(browser);
    await carried.addCookies([{ name: cookie.name, value: cookie.value, url: b!.origin, httpOnly: true, sameSite: "Lax" }]);
    await pageC.goto(`${b!.origin}/me/ratings`);
    await expect(pageC).toHaveURL(`${b!.origin}/me/ratings`);
    await expect(pageC.getByRole("heading", { level: 1, name: "My ratings" })).toBeVisible();
    await expect(pageC.getByTestId("user-email")).toHaveText(userEmail);

    // The same with only a Cookie header; a tampered token is refused (sent to sign in).
    const withCookie = (value: string) => fetch(`${b!.origin}/me/ratings`, { redirect: "manual", headers: { cookie: `${cookie.name}=${value}` } });
    const accepted = await withCookie(cookie.value);
    expect(accepted.status).toBe(200);
    const acceptedBody = await accepted.text();
    expect(acceptedBody).toContain(userEmail);
    expect(acceptedBody).not.toMatch(/\/signin\?callbackUrl=/);
    const tampered = await withCookie(`${cookie.value.slice(0, -6)}${cookie.value.endsWith("AAAAAA") ? "BBBBBB" : "AAAAAA"}`);
    expect(tampered.status).toBe(307);
    expect(tampered.headers.get("location")).toMatch(/\/signin\?callbackUrl=%2Fme%2Fratings$/);
    expect(await tampered.text()).not.toContain(userEmail);
  });

  test("a rating made on A shows on B, and one made through B's API shows on A", async ({ browser }) => {
    const { context: onA, page: pageA } = await newPage(browser);
    await signIn(pageA, a!.origin, userEmail);

    // Rate the first film of A's grid with the stars (4.5, keyboard), as a person would.
    await pageA.goto(`${a!.origin}/`);
    const first = pageA.getByTestId("poster-card").first();
    await expect(first).toBeVisible();
    const movieId = Number(await first.getAttribute("data-movie-id"));
    const title = (await first.getByRole("heading").textContent())!.trim();
    await first.click();
    await expect(pageA.getByRole("heading", { level: 1 })).toHaveText(title);
    await pageA.getByRole("radio", { name: "4 stars" }).focus();
    await pageA.keyboard.press("ArrowRight");
    await expect(pageA.getByTestId("rating-status")).toHaveText("Saved: 4.5 stars");

    const { page: pageB } = await newPage(browser);
    await signIn(pageB, b!.origin, userEmail);
    await pageB.goto(`${b!.origin}/me/ratings`);
    const ratedOnB = pageB.getByTestId("my-ratings").getByTestId("poster-card");
    await expect(ratedOnB).toHaveCount(1);
    await expect(ratedOnB.first()).toHaveAttribute("data-movie-id", String(movieId));
    await expect(ratedOnB.first()).toContainText(title);
    await expect(ratedOnB.first()).toContainText("Your rating: ★ 4.5");
    // B's movie page shows the stars set on A.
    await pageB.goto(`${b!.origin}/movies/${movieId}`);
    await expect(pageB.getByRole("radio", { name: "4.5 stars" })).toBeChecked();

    // The other way: POST /api/interactions on B with A's session cookie, then A's My ratings.
    const cookie = await sessionCookie(onA, a!.origin);
    const other = (await getJson<{ items: { id: number; title: string }[] }>(`${b!.origin}/api/popular?k=5`)).body;
    const second = other.items.find((m) => m.id !== movieId)!;
    const posted = await fetch(`${b!.origin}/api/interactions`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: `${cookie.name}=${cookie.value}` },
      body: JSON.stringify({ kind: "rating", movieId: second.id, value: 3 }),
    });
    expect(posted.status, await posted.clone().text()).toBe(201);
    expect(await posted.json()).toMatchObject({ movieId: second.id, kind: "rating", value: 3 });
    await pageA.goto(`${a!.origin}/me/ratings`);
    const ratedOnA = pageA.getByTestId("my-ratings").getByTestId("poster-card");
    await expect(ratedOnA).toHaveCount(2);
    await expect(ratedOnA.first()).toHaveAttribute("data-movie-id", String(second.id)); // newest first
    await expect(ratedOnA.first()).toContainText("Your rating: ★ 3");
    await expect(pageA.getByTestId("my-ratings").locator(`[data-movie-id="${movieId}"]`)).toContainText("Your rating: ★ 4.5");
  });

  test("a serving-model switch made anywhere reaches both instances within 5 s", async ({ browser }) => {
    test.setTimeout(300_000);
    const servingInDb = () => Number(psql(dbUrl, "select value from app_state where key = 'serving_model_version'").trim());
    const v1 = servingInDb();
    // A simulated user with cached recommendations, so /api/recommend answers from the model.
    const userId = Number(psql(dbUrl, `select min(user_id) from recommendations where model_version_id = ${v1}`).trim());
    expect(userId).toBeGreaterThan(0);
    const versionOn = async (instance: Instance) => {
      const { status, body } = await getJson<{ modelVersion: number | null; source: string }>(`${instance.origin}/api/recommend?userId=${userId}&k=5`);
      expect(status, `${instance.name} /api/recommend`).toBe(200);
      expect(body.source).toBe("model");
      return body.modelVersion;
    };
    /** Wait until every instance serves `version`; returns ms from `since` to the last one seeing it. */
    const seenEverywhere = async (version: number, since: number) => {
      const took: Record<string, number> = {};
      await Promise.all(
        instances().map(async (instance) => {
          await expect.poll(() => versionOn(instance), { timeout: SWITCH_WITHIN_MS + 5_000, intervals: [100] }).toBe(version);
          took[instance.name] = Date.now() - since;
        }),
      );
      for (const [name, ms] of Object.entries(took)) expect(ms, `instance ${name} saw v${version} after ${ms} ms`).toBeLessThanOrEqual(SWITCH_WITHIN_MS);
      return took;
    };
    for (const instance of instances()) expect(await versionOn(instance)).toBe(v1);

    // A second version, trained by the CLI on the same database and promoted regardless of the gate.
    const trainStarted = Date.now();
    await runScript(["scripts/train.ts", "--force"], env, path.join(workDir, "train.log"), 240_000);
    const trainedAt = Date.now();
    expect(fs.existsSync(sqliteDir), "training on PostgreSQL touched DATABASE_PATH").toBe(false);
    const v2 = servingInDb();
    expect(v2).toBeGreaterThan(v1);
    const afterTrain = await seenEverywhere(v2, trainedAt);

    // Roll back through A's admin API; B must follow.
    const { page: admin } = await newPage(browser);
    await signUp(admin, a!.origin, ADMIN);
    for (const instance of instances()) expect(await versionOn(instance)).toBe(v2);
    let since = Date.now();
    const rollback = await admin.request.post(`${a!.origin}/api/admin/models/rollback`);
    expect(rollback.status(), await rollback.text()).toBe(200);
    expect((await rollback.json()).servingVersion).toBe(v1);
    expect(servingInDb()).toBe(v1);
    const afterRollback = await seenEverywhere(v1, since);

    // Promote v2 again through A; B must follow, and both list it as serving.
    since = Date.now();
    const promote = await admin.request.post(`${a!.origin}/api/admin/models/${v2}/promote`);
    expect(promote.status(), await promote.text()).toBe(200);
    const afterPromote = await seenEverywhere(v2, since);
    for (const instance of instances()) {
      const models = await getJson<{ servingVersion: number; items: { id: number; serving: boolean }[] }>(`${instance.origin}/api/models`);
      expect(models.body.servingVersion, instance.name).toBe(v2);
      expect(models.body.items.filter((m) => m.serving).map((m) => m.id)).toEqual([v2]);
    }
    console.log(
      `postgres e2e: train --force ${((trainedAt - trainStarted) / 1000).toFixed(1)} s; v${v2} seen after ${JSON.stringify(afterTrain)} ms, ` +
        `rollback to v${v1} after ${JSON.stringify(afterRollback)} ms, promote v${v2} after ${JSON.stringify(afterPromote)} ms`,
    );
  });

  test("nothing was written to SQLite, and neither instance logged an error", () => {
    expect(fs.existsSync(sqliteDir), `${sqliteDir} exists: something opened DATABASE_PATH while DATABASE_URL was set`).toBe(false);
    // e.g. a bundled copy of lib/db that cannot reach the shared client would log here (fold-in index)
    for (const name of ["A", "B"]) {
      const log = fs.readFileSync(path.join(workDir, `server-${name}.log`), "utf8");
      expect(log, `instance ${name} log`).not.toMatch(/\bError\b|not a PostgreSQL client/);
    }
  });
});
