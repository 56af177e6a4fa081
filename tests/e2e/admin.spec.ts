import { expect, test } from "@playwright/test";
import { ADMIN, PASSWORD, signInAs } from "./accounts";

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
  const [started] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/api/admin/jobs") && r.request().method() === "POST"),
    page.getByRole("button", { name: "Start retraining" }).click(),
  ]);
  expect(started.status()).toBe(202);
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
  const crawl = page.getByRole("form", { name: "Crawl TMDB" });
  await crawl.getByLabel("To page").fill("501");
  await crawl.getByRole("button", { name: "Start crawl" }).click();
  await expect(crawl.getByLabel("To page")).toHaveAttribute("aria-invalid", "true");
  await expect(crawl.getByText(/500/)).toBeVisible();
  await expect(crawl.getByRole("alert")).toHaveCount(0);

  // was: "A train job is already queued (job #N)…" stayed under the form after job #N had finished
  const retrain = page.getByRole("form", { name: "Retrain" });
  await retrain.getByLabel("Model", { exact: true }).selectOption("popularity");
  const [started] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/api/admin/jobs") && r.request().method() === "POST"),
    retrain.getByRole("button", { name: "Start retraining" }).click(),
  ]);
  expect(started.status()).toBe(202);
  const jobId = (await started.json()).job.id as number;
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
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByTestId("created-api-key")).toContainText(/mk_\S+/);
  const row = page.getByTestId("api-key-row").filter({ hasText: name });
  await expect(row).toContainText("active");
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row.getByRole("group", { name: `Revoke ${name}? It cannot be restored.` })).toBeVisible();
  // a failed confirmation says why and keeps focus on its button (disabling it meanwhile dropped focus)
  const failing = "**/api/admin/api-keys/*";
  await page.route(failing, (r) => r.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: { code: "unavailable", message: "Try again in a moment." } }) }));
  const confirm = row.getByRole("button", { name: "Confirm revoke" });
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
