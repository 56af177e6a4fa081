import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { ADMIN, signInAs } from "./accounts";
import { ensureTwoVersions } from "./versions";

// An admin runs an A/B experiment on the embedded default: start it over two ready versions, see
// recommendation traffic become per-arm impressions in the report, stop it. It is stopped at the
// end so the other specs are served by the serving version alone.

test("an admin starts an A/B experiment, sees per-arm impressions with CIs and a z-test, and stops it", async ({ page }) => {
  test.setTimeout(150_000);
  await signInAs(page, ADMIN);
  await ensureTwoVersions(page);
  await page.goto("/admin/experiments");
  await expect(page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Experiments" })).toHaveAttribute("aria-current", "page");

  const form = page.getByTestId("experiment-form");
  // was: "Invalid request body name: must not be empty"
  await form.getByLabel("Name").fill("   ");
  await form.getByRole("button", { name: "Start experiment" }).focus();
  await page.keyboard.press("Enter");
  await expect(form.locator("#experiment-name-error")).toHaveText("The name must not be empty.");
  await expect(form.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByText(/Invalid request body/)).toHaveCount(0);
  await expect(form.getByRole("button", { name: "Start experiment" })).toBeFocused();
  await form.getByLabel("Name").fill("e2e: serving vs candidate");
  await expect(form.getByText("The name must not be empty.")).toHaveCount(0);
  await expect(form.getByLabel("Arm A version")).not.toHaveValue(await form.getByLabel("Arm B version").inputValue());
  await form.getByRole("button", { name: "Start experiment" }).click();
  const heading = page.getByRole("heading", { name: /Experiment #\d+: e2e: serving vs candidate/ });
  await expect(heading).toBeVisible();
  const id = Number((await heading.textContent())!.match(/#(\d+)/)![1]);
  const report = page.getByRole("region", { name: /^Experiment #\d+: e2e/ });
  await expect(report).toContainText(/Running since \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  await expect(page.getByTestId("experiment-verdict")).toHaveText(/No personalised recommendations have been shown/);
  // The running experiment replaced the form and its button: focus moved to the new verdict (was: <body>).
  await expect(page.getByTestId("experiment-verdict")).toBeFocused();

  // Traffic: an API consumer (a server of the site, with a key) fetches simulated users' recommendations
  // and shows them, so each personalised response is logged (an anonymous call, or this admin's session
  // reading other users' lists, is served from the arm but not counted). It then reports that each user
  // opened their top pick (clicks need a key or a session).
  const keyRes = await page.request.post("/api/admin/api-keys", { data: { name: "e2e experiment clicks" } });
  expect(keyRes.status()).toBe(201);
  const headers = { authorization: `Bearer ${(await keyRes.json()).key}` };
  const arms = new Set<string>();
  for (let userId = 1; userId <= 40; userId++) {
    const body = await (await page.request.get(`/api/recommend?userId=${userId}&k=10`, { headers })).json();
    if (!body.experiment) continue;
    arms.add(body.experiment.arm);
    const click = await page.request.post("/api/recommend/clicks", { headers, data: { userId, movieId: body.items[0].id } });
    expect(await click.json()).toMatchObject({ counted: true, arm: body.experiment.arm });
  }
  expect([...arms].sort()).toEqual(["A", "B"]);

  // the running report reads its counts again (every 15 s, or at once), without a reload (was: 0 until one, QA)
  await expect(page.getByTestId("live-refresh")).toContainText(/Counts as of \d\d:\d\d:\d\d UTC/);
  await page.getByRole("button", { name: "Refresh now" }).click();
  const rows = page.getByTestId("experiment-arm");
  await expect(rows).toHaveCount(2);
  for (const arm of ["A", "B"]) await expect(page.locator(`[data-arm=${arm}] [data-testid=arm-impressions]`)).toHaveText(/^[1-9][\d,]*$/);
  await expect(rows.nth(0)).toContainText("95% CI");
  await expect(rows.nth(1)).toContainText(/p = [\d.<\s]+, z = -?[\d.]+/);
  await page.screenshot({ path: "test-results/admin-experiments.png", fullPage: true });

  await page.getByRole("button", { name: "Stop", exact: true }).click();
  await page.getByRole("button", { name: "Yes, stop it" }).click();
  await expect(page.getByTestId("experiment-verdict")).toContainText(`Stopped by ${ADMIN} without promoting`);
  await expect(page.getByTestId("live-refresh")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Start experiment" })).toBeVisible();
  const after = await (await page.request.get("/api/recommend?userId=1&k=5")).json();
  expect(after.experiment).toBeUndefined();

  // when it ran (was: "Stopped since ‹stop time›"), here and in the list (was: the start alone)
  const time = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC";
  await expect(report).toContainText(new RegExp(`Started ${time} · stopped ${time}; decided on`));
  const listed = page.getByTestId("experiments-list").getByRole("listitem").filter({ hasText: `#${id} e2e: serving vs candidate` });
  await expect(listed).toContainText(new RegExp(`started ${time} by ${ADMIN} · stopped ${time} by ${ADMIN}`));

  // On a phone the table scrolls sideways, and the keyboard can scroll it (was: axe
  // scrollable-region-focusable, serious)
  await page.setViewportSize({ width: 390, height: 844 });
  const table = page.getByRole("region", { name: `Experiment #${id} results by arm` });
  expect(await table.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  await table.focus();
  await expect(table).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect.poll(() => table.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  const axe = await new AxeBuilder({ page }).withRules(["scrollable-region-focusable"]).analyze();
  expect(axe.violations).toEqual([]);
});

test("an experiment address naming no experiment says so instead of showing another one", async ({ page }) => {
  await signInAs(page, ADMIN);
  // was: experiment #1's report, as if it were the one asked for
  await page.goto("/admin/experiments?id=999999");
  await expect(page.getByTestId("experiment-problem")).toHaveText("There is no experiment #999999.");
  await expect(page.getByTestId("experiment-report")).toHaveCount(0);
  await page.goto("/admin/experiments?id=abc");
  await expect(page.getByTestId("experiment-problem")).toHaveText("The experiment id must be a whole number written in digits.");
  await expect(page.getByTestId("experiment-report")).toHaveCount(0);
});
