import { expect, test, type Page } from "@playwright/test";
import { ADMIN, signInAs } from "./accounts";

// Experiment tracking and drift, as an admin sees them: /admin/runs compares training runs side by
// side, and the overview shows drift of recent interactions against the serving model's data.
// The e2e server runs with ADMIN_EMAILS=admin@e2e.test (tests/e2e/server.ts).

/** Retrain (the default model, promoted) through the admin API and wait for the run to finish; returns its version. */
async function retrain(page: Page): Promise<number> {
  const queued = await page.request.post("/api/admin/jobs", { data: { kind: "train", params: { model: "ease", force: true } } });
  expect(queued.status(), await queued.text()).toBe(202);
  const jobId = (await queued.json()).job.id as number;
  let job: { status: string; stats: { versionId?: number } } = { status: "queued", stats: {} };
  await expect
    .poll(
      async () => {
        job = (await (await page.request.get(`/api/admin/jobs/${jobId}`)).json()).job;
        return job.status;
      },
      { timeout: 90_000, intervals: [1_000] },
    )
    .toBe("succeeded");
  return job.stats.versionId!;
}

test("an admin compares two training runs side by side and sees drift on the overview", async ({ page }) => {
  test.setTimeout(180_000);
  await signInAs(page, ADMIN);
  const version = await retrain(page);

  // Just trained on everything: no new interactions yet, so drift has no score.
  await page.goto("/admin");
  const drift = page.getByTestId("drift-panel");
  await expect(drift).toHaveAttribute("data-state", "insufficient");
  await expect(drift.getByTestId("drift-window")).toContainText(`0 interactions since v${version} was trained`);
  await expect(drift.getByTestId("drift-note")).toContainText(/^Not enough new interactions since training \(0 < 50\)\. Drift is measured once/);
  await expect(drift.getByTestId("drift-consequence")).toContainText("Auto-retrain is off");
  await expect(drift.getByTestId("drift-consequence")).toContainText("CRON_SECRET is not set");

  // 60 watches from one very active account shift user activity (and more) away from the training data.
  const popular = (await (await page.request.get("/api/popular?k=60")).json()).items as { id: number }[];
  expect(popular.length).toBe(60);
  for (const movie of popular) {
    const res = await page.request.post("/api/interactions", { data: { kind: "watch", movieId: movie.id, watchSeconds: 3600 } });
    expect(res.status()).toBe(201);
  }
  await page.reload();
  await expect(drift).toHaveAttribute("data-state", /^(flagged|stable)$/);
  await expect(drift.getByTestId("drift-window")).toContainText(`60 interactions since v${version} was trained`);
  const axes = drift.getByTestId("drift-axis");
  await expect(axes).toHaveCount(3);
  const threshold = 0.2;
  const scores: number[] = [];
  for (const axis of await axes.all()) {
    const psi = Number(await axis.getByTestId("drift-psi").textContent());
    expect(Number.isFinite(psi)).toBe(true);
    scores.push(psi);
    // flagged exactly when above the threshold
    expect(await axis.getAttribute("data-flagged")).toBe(psi > threshold ? "true" : null);
  }
  await expect(drift).toHaveAttribute("data-state", Math.max(...scores) > threshold ? "flagged" : "stable");
  await expect(drift.getByTestId("drift-score")).toContainText(Math.max(...scores).toFixed(3));
  await drift.screenshot({ path: "test-results/admin-drift.png" });

  // Runs: tick the new run and the one before it, compare.
  await page.getByRole("link", { name: "Runs", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Training runs" })).toBeVisible();
  const rows = page.getByTestId("run-row");
  await expect(rows.first()).toHaveAttribute("data-run-id", String(version));
  const previous = Number(await rows.nth(1).getAttribute("data-run-id"));
  // was: with none or one ticked, Compare reloaded the page (nothing said) or showed the validator's wording
  await page.getByRole("button", { name: "Compare selected" }).click();
  await expect(page.getByTestId("compare-too-few")).toHaveText("Tick at least two runs to compare.");
  await page.getByLabel(`Select run v${version} to compare`).check();
  await expect(page.getByTestId("compare-too-few")).toHaveCount(0);
  await page.getByRole("button", { name: "Compare selected" }).click();
  await expect(page.getByTestId("compare-too-few")).toHaveText("Tick at least two runs to compare.");
  await expect(page).toHaveURL(/\/admin\/runs$/);
  await page.getByLabel(`Select run v${previous} to compare`).check();
  await page.getByRole("button", { name: "Compare selected" }).click();

  await expect(page).toHaveURL(/\/admin\/runs\?compare=/);
  const comparison = page.getByTestId("run-comparison");
  await expect(comparison).toHaveAttribute("data-run-ids", `${previous},${version}`); // oldest is the baseline
  await expect(page.getByTestId("run-metrics-chart")).toBeVisible();
  await expect(page.getByTestId("run-metrics-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
  // the legend in the table's order, baseline first (was: sorted by label, so v10 came before v9)
  await expect(page.getByTestId("run-metrics-chart").locator(".recharts-legend-item-text")).toHaveText([new RegExp(`^v${previous} `), new RegExp(`^v${version} `)]);
  const table = page.getByTestId("comparison-table");
  await expect(table.getByRole("columnheader", { name: new RegExp(`^v${previous} `) })).toContainText("(baseline)");
  await expect(table.locator("[data-testid=comparison-param][data-key=algorithm]")).toContainText("ease");
  const ndcg = table.locator("[data-testid=comparison-metric][data-key='ndcg@10']");
  await expect(ndcg).toContainText(/0\.\d{4}/);
  await expect(table.getByTestId("comparison-duration")).toContainText(/\d/);
  // the gate's decision is shown as what it was when the run finished (a later promote or rollback changes the stage, not it)
  await expect(table.getByText(/^Gate when trained: (promoted|kept as candidate)/).first()).toBeVisible();
  // the boxes stay ticked, so the selection can be changed
  await expect(page.getByLabel(`Select run v${version} to compare`)).toBeChecked();
  await page.screenshot({ path: "test-results/admin-runs-compare.png", fullPage: true });

  // Each run links to its comparison with the serving one (the baseline).
  await page.getByRole("link", { name: `Compare v${previous} with the serving v${version}` }).click();
  await expect(comparison).toHaveAttribute("data-run-ids", `${version},${previous}`);

  // Picking one run is explained rather than ignored.
  await page.goto(`/admin/runs?compare=${version}`);
  await expect(page.getByTestId("compare-problem")).toHaveText("Tick at least two runs to compare.");
  await expect(page.getByTestId("run-comparison")).toHaveCount(0);

  // at 390 px the chart labels every metric on its axis (was: one label dropped)
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/admin/runs?compare=${previous},${version}`);
  const ticks = page.getByTestId("run-metrics-chart").locator("text.recharts-cartesian-axis-tick-value", { hasText: /[a-z]/i });
  await expect(ticks.first()).toBeVisible();
  expect(await ticks.allTextContents()).toEqual(expect.arrayContaining(["nDCG@10", "P@10", "R@10", "coverage"]));
});
