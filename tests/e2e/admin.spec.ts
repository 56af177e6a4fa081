import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { ADMIN, PASSWORD, signInAs } from "./accounts";
import { STATE_FILE } from "./server";

test("the admin pages are for admins: sign-in first, then 403 for a plain account", async ({ page }) => {
  await page.goto("/admin/jobs");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fadmin%2Fjobs$/);

  await signInAs(page, `viewer-${Date.now()}@example.com`);
  await expect(page.getByRole("link", { name: "Admin", exact: true })).toHaveCount(0);
  const res = await page.goto("/admin");
  expect(res?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Admins only" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Admin" })).toHaveCount(0);
  expect((await page.request.get("/api/admin/jobs")).status()).toBe(403);
  expect((await page.request.post("/api/admin/models/rollback")).status()).toBe(403);
});

test("sign-in comes back to the admin page asked for, query and all; another site cannot use the admin's session", async ({ page }) => {
  await signInAs(page, ADMIN); // the account exists, whichever spec ran first
  await page.context().clearCookies();
  await page.goto("/admin/runs?compare=1,2");
  // (Next hands the proxy the query re-encoded, compare=1%2C2: the same value once decoded)
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fadmin%2Fruns%3Fcompare%3D1(%2C|%252C)2$/);
  await page.getByLabel("Email").fill(ADMIN);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin\/runs\?compare=1(,|%2C)2$/);

  // the session cookie rides along with another site's POST: refused before anything changes
  const forged = await page.request.post("/api/admin/models/rollback", { headers: { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" }, data: "" });
  expect(forged.status()).toBe(403);
  expect((await forged.json()).error.code).toBe("forbidden");
  // the page's own fetch (Origin: this app, as the browser sets it) gets past the check to the route: 404 for no such version
  const own = await page.evaluate(async () => (await fetch("/api/admin/models/999999/promote", { method: "POST" })).status);
  expect(own).toBe(404);
});

test("an admin retrains from the Jobs page, follows it live, sees the new version and rolls back", async ({ page }) => {
  test.setTimeout(120_000);
  await signInAs(page, ADMIN);
  await page.getByRole("link", { name: "Admin", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Admin", exact: true })).toBeVisible();
  await expect(page.getByTestId("stat-movies")).toContainText(/\d/);
  await expect(page.getByTestId("interactions-chart")).toHaveAttribute("data-unit", "day");
  await expect(page.getByRole("heading", { name: "Interactions per day" })).toBeVisible();
  // the chart's range: a year by week, everything by the finest unit that fits
  const ranges = page.getByRole("navigation", { name: "Chart range" });
  await ranges.getByRole("link", { name: "1 year" }).click();
  await expect(page).toHaveURL(/\/admin\?range=1y$/);
  await expect(page.getByRole("heading", { name: "Interactions per week" })).toBeVisible();
  await expect(page.getByTestId("interactions-chart")).toHaveAttribute("data-unit", "week");
  await expect(ranges.getByRole("link", { name: "1 year" })).toHaveAttribute("aria-current", "page");
  await ranges.getByRole("link", { name: "All time" }).click();
  await expect(page).toHaveURL(/\/admin\?range=all$/);
  await expect(page.getByRole("heading", { name: /^Interactions per (day|week|month)$/ })).toBeVisible();
  await expect(page.getByTestId("interactions-chart")).toBeVisible();
  const serving = page.getByTestId("serving-model");
  await expect(serving).toBeVisible();

  await page.getByRole("link", { name: "Models", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Model versions" })).toBeVisible();
  const rows = page.getByTestId("model-row");
  await expect(rows.first()).toBeVisible();
  const versionsBefore = await rows.count();
  const servingBefore = await page.locator("[data-testid=model-row][data-serving]").getAttribute("data-version-id");

  await page.getByRole("link", { name: "Jobs", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Start a job" })).toBeVisible();
  await page.getByLabel("Model", { exact: true }).selectOption("ease");
  await page.getByLabel("Promote even if it scores worse than the serving version").check();
  await page.getByRole("button", { name: "Start retraining" }).focus();
  const [started] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/api/admin/jobs") && r.request().method() === "POST"),
    page.keyboard.press("Enter"),
  ]);
  expect(started.status()).toBe(202);
  // was: the button was disabled while the request ran, and focus fell to <body>
  await expect(page.getByRole("button", { name: "Start retraining" })).toBeFocused();
  expect(await page.evaluate(() => document.activeElement?.tagName)).not.toBe("BODY");
  const jobId = (await started.json()).job.id as number;
  const card = page.locator(`[data-testid=job-progress][data-job-id="${jobId}"]`);
  await expect(card).toBeVisible();
  await expect(card.getByRole("progressbar", { name: `Job #${jobId} progress` })).toBeVisible();

  // The job lives in the database, not in this page: a reload picks it up where it is.
  await expect(card).toHaveAttribute("data-status", /running|succeeded/, { timeout: 20_000 });
  await page.reload();
  await expect(card).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
  await expect(card.getByLabel(`Job #${jobId} log`)).toContainText("retraining ease");
  const result = card.getByTestId("job-result");
  await expect(result).toContainText("is now serving");
  const versionId = await result.getAttribute("data-version-id");
  await expect(page.locator(`[data-testid=job-row][data-job-id="${jobId}"]`)).toContainText("succeeded");

  await result.getByRole("link", { name: "See models" }).click();
  await expect(page.getByRole("heading", { name: "Model versions" })).toBeVisible();
  await expect(rows).toHaveCount(versionsBefore + 1);
  const newRow = page.locator(`[data-testid=model-row][data-version-id="${versionId}"]`);
  await expect(newRow).toContainText("ease");
  await expect(newRow).toContainText("serving");
  await expect(page.getByTestId("model-metrics-chart")).toBeVisible();

  // Promote and roll back ask first; Cancel (or Escape) changes nothing and gives focus back.
  const promote = page.getByRole("button", { name: `Promote v${servingBefore}` });
  await promote.click();
  await expect(page.getByRole("group", { name: `Serve v${servingBefore} to every user?` })).toBeVisible();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(promote).toBeFocused();
  await promote.click();
  await page.keyboard.press("Escape");
  await expect(promote).toBeFocused();
  await expect(newRow).toHaveAttribute("data-serving", "true");

  // Roll back: the version that served before is back at once, and the switch is on record.
  await page.getByRole("button", { name: `Roll back to v${servingBefore}` }).click();
  await page.getByRole("button", { name: `Yes, roll back to v${servingBefore}` }).press("Enter");
  const oldRow = page.locator(`[data-testid=model-row][data-version-id="${servingBefore}"]`);
  await expect(oldRow).toHaveAttribute("data-serving", "true");
  // Nothing is left to roll back to, so the button is disabled: focus goes to the row now serving
  // (was: it fell to <body>).
  await expect(page.getByRole("button", { name: "Nothing to roll back to" })).toBeDisabled();
  // and says why as the API's refusal does (was "No earlier production version still has its cache",
  // also when cached versions were only skipped for having been rolled back away from)
  await expect(page.getByRole("button", { name: "Nothing to roll back to" })).toHaveAttribute("title", /^There is no earlier production version .*to roll back to/);
  await expect(page.getByText(/serves recommendations\. .*There is no earlier production version .*to roll back to/)).toBeVisible();
  await expect(oldRow.getByRole("rowheader")).toBeFocused();
  await expect(page.getByTestId("model-events").locator("li").first()).toContainText(`Rolled back to v${servingBefore} (was v${versionId}) by ${ADMIN}`);

  // Promoting takes that row's button away: focus moves to the row's version and its new status
  // (was: it fell to <body>).
  await page.getByRole("button", { name: `Promote v${versionId}` }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("button", { name: `Yes, promote v${versionId}` }).press("Enter");
  await expect(newRow).toHaveAttribute("data-serving", "true");
  const rowHeader = newRow.getByRole("rowheader");
  await expect(rowHeader).toContainText("serving");
  await expect(rowHeader).toBeFocused();
});

test("a start form shows field errors by their fields only, and a refusal naming a job goes once that job has finished", async ({ page }) => {
  test.setTimeout(120_000);
  await signInAs(page, ADMIN);
  await page.goto("/admin/jobs");

  // was: every field error came with a generic "Invalid … parameters" box as well
  const simulate = page.getByRole("form", { name: "Simulate users" });
  const users = simulate.getByLabel("Users");
  await users.fill("100001");
  await simulate.getByRole("button", { name: "Start simulation" }).focus();
  const [tooMany] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/api/admin/jobs") && r.request().method() === "POST"),
    page.keyboard.press("Enter"),
  ]);
  expect(tooMany.status()).toBe(400);
  await expect(users).toHaveAttribute("aria-invalid", "true");
  await expect(simulate.getByText("Users must be at most 100000.")).toBeVisible();
  await expect(simulate.getByRole("alert")).toHaveCount(0);
  // was: the button was disabled while the request ran, and focus fell to <body>
  await expect(simulate.getByRole("button", { name: "Start simulation" })).toBeFocused();

  // was: the error stayed after the field was edited
  await users.fill("100");
  await expect(users).not.toHaveAttribute("aria-invalid", "true");
  await expect(simulate.getByText(/must be at most/)).toHaveCount(0);

  // was: an empty field said "must be at least 1" (Number("") is 0), or started with the API's default
  let posted = 0;
  page.on("request", (r) => {
    if (r.url().endsWith("/api/admin/jobs") && r.method() === "POST") posted++;
  });
  await users.fill("");
  await simulate.getByRole("button", { name: "Start simulation" }).click();
  await expect(simulate.getByText("Users is required.")).toBeVisible();
  await expect(users).toHaveAttribute("aria-invalid", "true");
  expect(posted).toBe(0);
  await users.fill("5");
  await expect(simulate.getByText("Users is required.")).toHaveCount(0);

  // the e2e server has no TMDB_API_KEY: Start crawl says so and does nothing, but stays focusable
  const crawl = page.getByRole("form", { name: "Crawl TMDB" });
  const startCrawl = crawl.getByRole("button", { name: "Start crawl" });
  await expect(crawl.getByTestId("job-unavailable")).toHaveText(/TMDB_API_KEY.*restart the server/);
  await expect(startCrawl).toHaveAttribute("aria-disabled", "true");
  await expect(startCrawl).toHaveAccessibleDescription(/TMDB_API_KEY/);
  await startCrawl.focus();
  await expect(startCrawl).toBeFocused();
  await page.keyboard.press("Enter");
  await startCrawl.click({ force: true }); // (Playwright waits for an aria-disabled button to be enabled)
  await page.waitForTimeout(300);
  expect(posted).toBe(0);

  // was: "A train job is already queued (job #N)…" stayed under the form after job #N had finished
  const retrain = page.getByRole("form", { name: "Retrain" });
  const jobId = await startPopularityRetrain(page);
  const [refused] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/api/admin/jobs") && r.request().method() === "POST"),
    retrain.getByRole("button", { name: "Start retraining" }).click(),
  ]);
  expect(refused.status()).toBe(409);
  await expect(retrain.getByRole("alert")).toContainText(`(job #${jobId})`);
  await expect(page.locator(`[data-testid=job-progress][data-job-id="${jobId}"]`)).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
  await expect(retrain.getByRole("alert")).toHaveCount(0);
});

test("an admin creates an API key, sees it once, and revokes it", async ({ page }) => {
  await signInAs(page, ADMIN);
  await page.goto("/admin/api-keys");
  const name = `Partner ${Date.now()}`;
  await page.getByLabel("New key name").fill(name);
  await page.getByRole("button", { name: "Create key" }).focus();
  await page.keyboard.press("Enter");
  const banner = page.getByTestId("created-api-key");
  await expect(banner).toContainText(/mk_\S+/);
  // was: the button was disabled while the request ran, and focus fell to <body>
  await expect(page.getByRole("button", { name: "Create key" })).toBeFocused();
  // Copy says it worked (was: no feedback at all)
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await banner.getByRole("button", { name: "Copy" }).click();
  await expect(banner.getByTestId("copy-feedback")).toHaveText(/^(Copied|Select and copy the key \(Ctrl\+C\))$/);
  const row = page.getByTestId("api-key-row").filter({ hasText: name });
  await expect(row).toContainText("active");
  await row.getByRole("button", { name: "Revoke" }).click();
  // named by its prefix too: two keys may share a name
  const prefix = ((await row.locator("td").first().textContent()) ?? "").replace("…", "");
  expect(prefix).toMatch(/^mk_/);
  await expect(row.getByRole("group", { name: `Revoke ${name} (${prefix}…)? It cannot be restored.` })).toBeVisible();
  // a failed confirmation says why and keeps focus on its button (disabling it meanwhile dropped focus)
  const failing = "**/api/admin/api-keys/*";
  await page.route(failing, (r) => r.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: { code: "unavailable", message: "Try again in a moment." } }) }));
  const confirm = row.getByRole("button", { name: "Yes, revoke it" });
  await confirm.focus();
  await page.keyboard.press("Enter");
  await expect(row.getByRole("alert")).toHaveText("Try again in a moment.");
  await expect(confirm).toBeFocused();
  await expect(row).toContainText("active");
  await page.unroute(failing);
  await page.keyboard.press("Enter");
  await expect(row).toContainText("revoked");
  // the Revoke button is gone: focus is on the key's new status, not on <body>
  await expect(row.getByRole("cell").filter({ hasText: "revoked" })).toBeFocused();
  // was: "Key … created. Copy it now", with the full key, stayed after that key was revoked
  await expect(banner).toHaveCount(0);
});

test("without a clipboard (http on a LAN address) Copy selects the key and says to copy it by hand", async ({ page }) => {
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, "clipboard", { get: () => undefined, configurable: true }));
  await signInAs(page, ADMIN);
  await page.goto("/admin/api-keys");
  await page.getByLabel("New key name").fill(`No clipboard ${Date.now()}`);
  await page.getByRole("button", { name: "Create key" }).click();
  const banner = page.getByTestId("created-api-key");
  const key = (await banner.getByTestId("created-api-key-value").textContent())!.trim();
  expect(key).toMatch(/^mk_/);
  // was: silently nothing
  await banner.getByRole("button", { name: "Copy" }).click();
  await expect(banner.getByTestId("copy-feedback")).toHaveText("Select and copy the key (Ctrl+C)");
  expect(await page.evaluate(() => window.getSelection()?.toString().trim())).toBe(key);
});

/** On /admin/models, start promoting a version, let another tab promote it first, then confirm: refused with 409. */
async function refusedPromotion(page: Page, context: BrowserContext) {
  await signInAs(page, ADMIN);
  await page.goto("/admin/models");
  const promote = page.getByRole("button", { name: /^Promote v\d+$/ }).first();
  await expect(promote).toBeVisible();
  const id = Number((await promote.textContent())!.replace(/\D/g, ""));
  const servingBefore = await page.locator("[data-testid=model-row][data-serving]").getAttribute("data-version-id");
  await promote.click();
  // another tab (same session) promotes it first
  const other = await context.newPage();
  expect((await other.request.post(`/api/admin/models/${id}/promote`)).status()).toBe(200);
  await other.close();
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/api/admin/models/${id}/promote`)),
    page.getByRole("button", { name: `Yes, promote v${id}` }).click(),
  ]);
  expect(res.status()).toBe(409);
  return { id, servingBefore, notice: page.getByTestId("admin-notice") };
}

test("a refused promotion (another tab promoted first) refreshes the page, closes the prompt and keeps the message", async ({ page, context }) => {
  const { id, servingBefore, notice } = await refusedPromotion(page, context);
  // was: the prompt stayed open on a page still naming the old serving version
  await expect(notice).toBeVisible();
  await expect(notice).toBeFocused();
  await expect(page.getByRole("group", { name: `Serve v${id} to every user?` })).toHaveCount(0);
  await expect(page.locator(`[data-testid=model-row][data-version-id="${id}"]`)).toHaveAttribute("data-serving", "true");
  await expect(page.getByText(`Version ${id} serves recommendations.`)).toBeVisible();
  await expect(notice).toBeVisible(); // still there once the refreshed page is in
  await notice.getByRole("button", { name: "Dismiss" }).click();
  await expect(notice).toHaveCount(0);
  // put the serving version back for the other specs
  expect((await page.request.post(`/api/admin/models/${servingBefore}/promote`)).status()).toBe(200);
});

test("a refusal notice belongs to its page: another query (another experiment's ?id=) takes it away", async ({ page, context }) => {
  const { servingBefore, notice } = await refusedPromotion(page, context);
  await expect(notice).toBeVisible();
  // Next's router follows the history API: the same path with another query
  await page.evaluate(() => window.history.pushState(null, "", "/admin/models?from=notice-test"));
  // was: it stayed, keyed by the path alone
  await expect(notice).toHaveCount(0);
  expect((await page.request.post(`/api/admin/models/${servingBefore}/promote`)).status()).toBe(200);
});

test("a rollback confirmed in a stale tab is refused instead of serving a version the tab never named", async ({ page, context }) => {
  await signInAs(page, ADMIN);
  await page.goto("/admin/models");
  const before = Number(await page.locator("[data-testid=model-row][data-serving]").getAttribute("data-version-id"));
  const promote = page.getByRole("button", { name: /^Promote v\d+$/ }).first();
  await expect(promote).toBeVisible();
  const other = Number((await promote.textContent())!.replace(/\D/g, ""));
  // serve `other`, so that the rollback target is the version that served before it
  expect((await page.request.post(`/api/admin/models/${other}/promote`)).status()).toBe(200);
  await page.reload();
  await page.getByRole("button", { name: `Roll back to v${before}` }).click();
  // meanwhile another tab promotes `before` itself: a rollback now would serve `other`
  const tab = await context.newPage();
  expect((await tab.request.post(`/api/admin/models/${before}/promote`)).status()).toBe(200);
  await tab.close();
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/api/admin/models/rollback")),
    page.getByRole("button", { name: `Yes, roll back to v${before}` }).click(),
  ]);
  // was: 200, serving `other`, a version the question never named
  expect(res.status()).toBe(409);
  await expect(page.getByTestId("admin-notice")).toContainText(`A rollback would now serve version ${other}, not version ${before}`);
  await expect(page.locator(`[data-testid=model-row][data-version-id="${before}"]`)).toHaveAttribute("data-serving", "true");
  await expect(page.getByRole("button", { name: `Roll back to v${other}` })).toBeVisible();
  // acting again takes the old refusal away (was: it stayed above the page after the next switch worked)
  await page.getByRole("button", { name: `Roll back to v${other}` }).click();
  await page.getByRole("button", { name: `Yes, roll back to v${other}` }).click();
  await expect(page.locator(`[data-testid=model-row][data-version-id="${other}"]`)).toHaveAttribute("data-serving", "true");
  await expect(page.getByTestId("admin-notice")).toHaveCount(0);
  expect((await page.request.post(`/api/admin/models/${before}/promote`)).status()).toBe(200);
});

test("a job followed after the session ended says so and stops polling, with a way to sign in again", async ({ page }) => {
  test.setTimeout(120_000);
  await signInAs(page, ADMIN);
  await page.goto("/admin/jobs");
  // every poll of a job answers 401, as it does once the session has ended
  let polls = 0;
  await page.route(/\/api\/admin\/jobs\/\d+$/, (r) => {
    polls++;
    return r.fulfill({ status: 401, contentType: "application/json", body: JSON.stringify({ error: { code: "unauthorized", message: "Sign in first" } }) });
  });
  const jobId = await startPopularityRetrain(page);
  const card = page.locator(`[data-testid=job-progress][data-job-id="${jobId}"]`);
  // was: "(reconnecting…)" for ever
  await expect(card.getByTestId("job-connection")).toHaveText("Signed out — sign in again to follow this job. Sign in");
  await expect(card.getByText("(reconnecting…)")).toHaveCount(0);
  await expect(card.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/signin?callbackUrl=%2Fadmin%2Fjobs");
  const after = polls;
  await page.waitForTimeout(2_500);
  expect(polls).toBe(after);
  await page.unroute(/\/api\/admin\/jobs\/\d+$/);
  // let the job finish so the other specs can start their training runs
  await expect
    .poll(async () => (await (await page.request.get(`/api/admin/jobs/${jobId}`)).json()).job.status, { timeout: 90_000, intervals: [1000] })
    .toBe("succeeded");
});

test("the recent jobs table is live: a job started elsewhere appears without a reload, and a running job's row keeps up", async ({ page }) => {
  test.setTimeout(120_000);
  await signInAs(page, ADMIN);
  await page.goto("/admin/jobs");
  await expect(page.getByRole("region", { name: "Recent jobs table" })).toBeVisible();
  const listPolls: number[] = [];
  page.on("request", (r) => {
    if (/\/api\/admin\/jobs\?limit=30$/.test(r.url()) && r.method() === "GET") listPolls.push(Date.now());
  });

  // another tab (or the CLI) starts a retraining: was only listed after a reload
  const started = await page.request.post("/api/admin/jobs", { data: { kind: "train", params: { model: "popularity" } } });
  expect(started.status()).toBe(202);
  const jobId = (await started.json()).job.id as number;
  const row = page.locator(`[data-testid=job-row][data-job-id="${jobId}"]`);
  await expect(row).toBeVisible({ timeout: 20_000 }); // nothing else open: the list is fetched every 15 s
  await expect(row.getByText("succeeded", { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(row).toContainText("100%");

  // That job, as a list poll would show it while running (it ran too fast to watch): its row follows
  // each poll, every 2 s while it is open. Was: "queued 0%" until the job finished and the page
  // reloaded. (After a reload the page has a card for it, the newest job: no refresh of the page.)
  await page.reload();
  let shown = { status: "running", progress: 0.375, message: "3/8 pages", finishedAt: null as number | null };
  await page.route(/\/api\/admin\/jobs\?limit=30$/, async (route) => {
    const res = await route.fetch();
    const body = await res.json();
    body.items = body.items.map((j: { id: number }) => (j.id === jobId ? { ...j, ...shown } : j));
    await route.fulfill({ response: res, json: body });
  });
  await expect(row.getByText("running", { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(row).toContainText("38%");
  await expect(row).toContainText("3/8 pages");
  shown = { ...shown, progress: 0.875, message: "7/8 pages" };
  await expect(row).toContainText("88%", { timeout: 5_000 });
  await expect(row).toContainText("7/8 pages");
  shown = { status: "succeeded", progress: 1, message: "8 pages, 160 new, 0 updated, 0 errors", finishedAt: Date.now() };
  await expect(row.getByText("succeeded", { exact: true })).toBeVisible({ timeout: 5_000 });
  await expect(row).toContainText("8 pages, 160 new");

  // nothing open any more: back to one fetch every 15 s
  await page.waitForTimeout(1_000);
  const idleFrom = listPolls.length;
  await page.waitForTimeout(6_000);
  expect(listPolls.length - idleFrom).toBeLessThanOrEqual(1);
  await page.unroute(/\/api\/admin\/jobs\?limit=30$/);
});

test("on a phone the current admin tab is in view, Promote is on screen and a revoked key's pill is one line", async ({ page }) => {
  await signInAs(page, ADMIN);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/admin/api-keys");
  // was: the tab strip started scrolled to Overview, with API keys off-screen
  const tab = page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "API keys" });
  await expect(tab).toBeInViewport();
  const box = (await tab.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  // was: "revoked <date>" wrapped into a four-line pill
  const pill = page.getByTestId("api-key-row").locator("span", { hasText: /^revoked / }).first();
  if ((await pill.count()) > 0) expect((await pill.boundingBox())!.height).toBeLessThan(30);
  // was: Promote was the last column, reachable only by scrolling the table sideways
  await page.goto("/admin/models");
  const promote = page.getByRole("button", { name: /^Promote v\d+$/ }).first();
  if ((await promote.count()) > 0) {
    const b = (await promote.boundingBox())!;
    expect(b.x + b.width).toBeLessThanOrEqual(390);
  }
});

test("admin page titles: the overview's like the others', and the 403 page claims no page", async ({ page }) => {
  await signInAs(page, ADMIN);
  await page.goto("/admin");
  await expect(page).toHaveTitle("Overview · Admin · Matinee");
  await page.goto("/admin/jobs");
  await expect(page).toHaveTitle("Jobs · Admin · Matinee");
  await page.context().clearCookies();
  await signInAs(page, `viewer-title-${Date.now()}@example.com`);
  for (const path of ["/admin", "/admin/jobs"]) {
    expect((await page.goto(path))?.status()).toBe(403);
    await expect(page).toHaveTitle("Admins only · Matinee");
  }
});

test("on a phone the admin tables scroll inside their box; the page itself never scrolls sideways", async ({ page }) => {
  await signInAs(page, ADMIN);
  await page.setViewportSize({ width: 375, height: 800 });
  // A visually hidden header ("Actions", "Links") is absolutely positioned: unless the table's
  // scroll box is its containing block, it sits at the far end of the wide table, outside the
  // box, and the whole page could be dragged ~600 px sideways into blank space.
  for (const path of ["/admin/models", "/admin/runs", "/admin/jobs"]) {
    await page.goto(path);
    await expect(page.locator("table").first()).toBeVisible();
    const scrollable = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(scrollable, path).toBe(0);
  }
});

/** Start a popularity retrain from the Jobs page's form; the new job's id. */
async function startPopularityRetrain(page: Page): Promise<number> {
  const retrain = page.getByRole("form", { name: "Retrain" });
  await retrain.getByLabel("Model", { exact: true }).selectOption("popularity");
  const [started] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/api/admin/jobs") && r.request().method() === "POST"),
    retrain.getByRole("button", { name: "Start retraining" }).click(),
  ]);
  expect(started.status()).toBe(202);
  return (await started.json()).job.id as number;
}

test("an admin stops a queued job and a running one from its card", async ({ page }) => {
  // Real jobs here finish in seconds: rows are put in the server's database, one queued and one
  // running in a stand-in worker process on this host (the server signals it as it would a worker).
  const { dir } = JSON.parse(fs.readFileSync(STATE_FILE, "utf8")) as { dir: string };
  const file = path.join(dir, "e2e.db");
  const db = new Database(file);
  const insert = db.prepare("insert into jobs (kind, status, params, heartbeat_at, started_at, worker_host) values (?, ?, '{}', ?, ?, ?)");
  const running = Number(insert.run("crawl", "running", Date.now(), Date.now(), os.hostname()).lastInsertRowid);
  const queued = Number(insert.run("simulate", "queued", Date.now(), null, null).lastInsertRowid);
  // on SIGTERM it records its outcome, as a crawl's worker does after its current page, and exits 143
  const standIn = `const D = require(${JSON.stringify(path.join(process.cwd(), "node_modules", "better-sqlite3"))}); const [file, id] = process.argv.slice(2);
    process.on("SIGTERM", () => { new D(file).prepare("update jobs set status = 'cancelled', message = 'stopped after page 3', finished_at = ? where id = ?").run(Date.now(), Number(id)); process.exit(143); });
    console.log("ready"); setInterval(() => {}, 1000);`;
  // named as the server's worker bundle is (the server signals only a process running a job script)
  const script = path.join(dir, "worker.cjs");
  fs.writeFileSync(script, standIn);
  const worker = spawn(process.execPath, [script, file, String(running)], { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise((resolve) => worker.on("exit", (code) => resolve(code)));
  try {
    await new Promise((resolve) => worker.stdout!.once("data", resolve));
    db.prepare("update jobs set worker_pid = ? where id = ?").run(worker.pid, running);

    await signInAs(page, ADMIN);
    await page.goto("/admin/jobs");
    const queuedCard = page.locator(`[data-testid=job-progress][data-job-id="${queued}"]`);
    await queuedCard.getByRole("button", { name: "Stop job" }).click();
    await expect(queuedCard.getByRole("group", { name: `Stop job #${queued} before it starts?` })).toBeVisible();
    await queuedCard.getByRole("button", { name: "Yes, stop it" }).click();
    await expect(queuedCard).toHaveAttribute("data-status", "cancelled");
    await expect(queuedCard.getByRole("alert")).toHaveText(`cancelled by ${ADMIN} before it started`);

    const runningCard = page.locator(`[data-testid=job-progress][data-job-id="${running}"]`);
    await runningCard.getByRole("button", { name: "Stop job" }).click();
    await expect(runningCard.getByRole("group", { name: `Stop job #${running}? It stops after its current page; start it again to go on.` })).toBeVisible();
    // the button that changes nothing says so (was "Cancel", beside "Yes, stop it")
    await runningCard.getByRole("button", { name: "Keep it running" }).click();
    await expect(runningCard.getByRole("button", { name: "Stop job" })).toBeFocused();
    await runningCard.getByRole("button", { name: "Stop job" }).click();
    await runningCard.getByRole("button", { name: "Yes, stop it" }).click();
    expect(await exited).toBe(143);
    // finished and not the newest, its card goes once the page refreshes; its row says how it ended
    await expect(page.locator(`[data-testid=job-row][data-job-id="${running}"]`)).toContainText("cancelled");
    const { job } = await (await page.request.get(`/api/admin/jobs/${running}`)).json();
    expect(job).toMatchObject({ status: "cancelled", message: "stopped after page 3" });
    expect(job.log).toContain(`cancel requested by ${ADMIN}: stopping process ${worker.pid} (SIGTERM)`);
  } finally {
    worker.kill("SIGKILL");
    db.close();
  }
});
