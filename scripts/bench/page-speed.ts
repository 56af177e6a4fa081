// npm run bench:page — first contentful paint and largest contentful paint of the home page in
// headless Chromium (Performance API), signed out and signed in, on a production server over
// loopback. Also checks that posters are sized and lazy-loaded below the fold.
// Results and the command: docs/benchmarks.md.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext } from "@playwright/test";
import { z } from "zod";
import { registerAccount } from "@/lib/auth/accounts";
import { listPopularMovies } from "@/lib/catalog/queries";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "@/lib/bench/chromium";
import { waitReady } from "@/lib/bench/process";
import { CliError, intArg, parseCliArgs, runCli } from "@/lib/cli";
import { closeDb } from "@/lib/db";
import { childProcessEnv, getEnv } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { recordInteraction } from "@/lib/interactions/queries";
import { prepareEmbeddedDefault } from "@/lib/setup/prepare";

const HELP = `usage: DATABASE_PATH=data/bench.db npm run bench:page -- [--runs 10] [--signed-in] [--port 3320] [--json]

Prepares DATABASE_PATH (embedded default if empty), starts \`next start\` on 127.0.0.1 (run
\`npm run build\` first), opens the home page --runs times in headless Chromium (/usr/bin/chromium),
each time in a fresh browser context (cold HTTP cache), after one unmeasured warm-up load, and
prints the median and p90 of TTFB, first contentful paint and largest contentful paint.
--signed-in also measures a signed-in user with 20 ratings (their grid is folded in from the
neighbour cache). Target (issue 9): LCP ≤ 1 s.`;

const schema = z.object({
  runs: intArg(1, 200).default(10),
  "signed-in": z.boolean().default(false),
  port: intArg(1024, 65535).default(3320),
  json: z.boolean().default(false),
});

const VIEWPORT = { width: 1280, height: 800 };
const EMAIL = "page-speed@bench.test";
const PASSWORD = "popcorn-and-a-movie";

type Sample = { ttfb: number; fcp: number; lcp: number; lcpElement: string };
type PosterAudit = { images: number; sized: number; aboveFold: number; belowFold: number; belowFoldLazy: number; aboveFoldEager: number };

// Runs in the page (a string, so no bundler helpers leak into it). The LCP candidate is final once
// the page is loaded and idle; buffered entries include everything since navigation started.
const MEASURE = `new Promise((resolve) => {
  const nav = performance.getEntriesByType("navigation")[0];
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  let lcp = null;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) lcp = e; }).observe({ type: "largest-contentful-paint", buffered: true });
  setTimeout(() => {
    const el = lcp && lcp.element;
    resolve({
      ttfb: nav ? nav.responseStart : -1,
      fcp: fcp ? fcp.startTime : -1,
      lcp: lcp ? lcp.startTime : -1,
      lcpElement: el ? el.tagName.toLowerCase() + (el.getAttribute("src") ? " " + el.getAttribute("src").slice(0, 60) : el.id ? "#" + el.id : "") : "none",
    });
  }, 300);
})`;

const AUDIT = `(() => {
  const imgs = [...document.querySelectorAll("main img, img")];
  const fold = window.innerHeight;
  let sized = 0, above = 0, below = 0, belowLazy = 0, aboveEager = 0;
  for (const img of new Set(imgs)) {
    if (img.getAttribute("width") && img.getAttribute("height")) sized++;
    const r = img.getBoundingClientRect();
    const visible = r.top < fold && r.left < window.innerWidth && r.right > 0;
    if (visible) { above++; if (img.getAttribute("loading") !== "lazy") aboveEager++; }
    else { below++; if (img.getAttribute("loading") === "lazy") belowLazy++; }
  }
  return { images: new Set(imgs).size, sized, aboveFold: above, belowFold: below, belowFoldLazy: belowLazy, aboveFoldEager: aboveEager };
})()`;

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}


/** An account with 20 ratings of popular movies (created once per database). */
async function ensureBenchUser(): Promise<void> {
  try {
    const account = await registerAccount({ email: EMAIL, password: PASSWORD });
    for (const m of await listPopularMovies({ k: 20 })) await recordInteraction({ kind: "rating", userId: account.id, movieId: m.id, value: 4.5 });
  } catch (err) {
    if (!(err instanceof ApiError && err.code === "conflict")) throw err;
  }
}

async function signedInState(browser: Browser, base: string): Promise<Awaited<ReturnType<BrowserContext["storageState"]>>> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await page.goto(`${base}/signin`);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("user-email").waitFor({ timeout: 15_000 });
  const state = await context.storageState();
  await context.close();
  return state;
}

async function measure(browser: Browser, base: string, runs: number, storageState?: Awaited<ReturnType<BrowserContext["storageState"]>>) {
  const samples: Sample[] = [];
  let audit: PosterAudit | null = null;
  let source = "";
  for (let r = 0; r <= runs; r++) {
    const context = await browser.newContext({ viewport: VIEWPORT, storageState });
    const page = await context.newPage();
    await page.goto(`${base}/`, { waitUntil: "load" });
    const sample = (await page.evaluate(MEASURE)) as Sample;
    if (r === 0) {
      // warm-up (server JIT, SQLite page cache): audit the DOM, do not count the timings
      audit = (await page.evaluate(AUDIT)) as PosterAudit;
      source = (await page.getByTestId("home-grid").getAttribute("data-source")) ?? "";
    } else samples.push(sample);
    await context.close();
  }
  const stat = (key: "ttfb" | "fcp" | "lcp") => ({ median: Math.round(quantile(samples.map((s) => s[key]), 0.5)), p90: Math.round(quantile(samples.map((s) => s[key]), 0.9)) });
  return { runs, gridSource: source, ttfb: stat("ttfb"), fcp: stat("fcp"), lcp: stat("lcp"), lcpElement: samples.at(-1)?.lcpElement ?? "none", posters: audit, samples };
}

runCli(async () => {
  const args = parseCliArgs(
    process.argv.slice(2),
    { runs: { type: "string" }, "signed-in": { type: "boolean" }, port: { type: "string" }, json: { type: "boolean" } },
    schema,
    HELP,
  );
  if (!fs.existsSync(path.join(".next", "BUILD_ID"))) throw new CliError("no production build: run `npm run build` first");
  if (!fs.existsSync(CHROMIUM_PATH)) throw new CliError(`Chromium not found at ${CHROMIUM_PATH} (apt-get install -y chromium)`);
  await prepareEmbeddedDefault((l) => process.stderr.write(`${l}\n`));
  if (args["signed-in"]) await ensureBenchUser();
  closeDb();

  const base = `http://127.0.0.1:${args.port}`;
  const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(args.port), "-H", "127.0.0.1"], {
    env: childProcessEnv({ NODE_ENV: "production", AUTH_SECRET: "bench-secret-bench-secret-bench" }),
    stdio: "ignore",
  });
  let browser: Browser | null = null;
  try {
    await waitReady(base);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const results: Record<string, Awaited<ReturnType<typeof measure>>> = {};
    results["signed out"] = await measure(browser, base, args.runs);
    if (args["signed-in"]) results["signed in"] = await measure(browser, base, args.runs, await signedInState(browser, base));

    if (args.json) {
      console.log(JSON.stringify({ database: getEnv().DATABASE_PATH, viewport: VIEWPORT, results }, null, 2));
      return;
    }
    console.log(`home page, ${args.runs} cold-context loads each (viewport ${VIEWPORT.width}×${VIEWPORT.height}), ms`);
    console.log("| user | grid source | TTFB median / p90 | FCP median / p90 | LCP median / p90 | LCP element |\n|---|---|---|---|---|---|");
    for (const [who, r] of Object.entries(results)) {
      console.log(`| ${who} | ${r.gridSource} | ${r.ttfb.median} / ${r.ttfb.p90} | ${r.fcp.median} / ${r.fcp.p90} | ${r.lcp.median} / ${r.lcp.p90} | ${r.lcpElement} |`);
    }
    for (const [who, r] of Object.entries(results)) {
      const p = r.posters;
      if (p) {
        console.log(
          `${who}: ${p.images} images, ${p.sized} with width+height; ${p.aboveFold} above the fold (${p.aboveFoldEager} eager), ${p.belowFold} below (${p.belowFoldLazy} lazy)`,
        );
      }
    }
    const worst = Math.max(...Object.values(results).map((r) => r.lcp.median));
    console.log(`\nLCP target ≤ 1000 ms: ${worst <= 1000 ? "met" : "missed"} (worst median ${worst} ms)`);
  } finally {
    await browser?.close();
    server.kill("SIGTERM");
  }
});
