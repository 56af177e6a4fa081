import { expect, test } from "@playwright/test";

test("the API reference renders the OpenAPI document offline", async ({ page }) => {
  const external: string[] = [];
  const errors: string[] = [];
  page.on("request", (req) => {
    const url = new URL(req.url());
    if (!["127.0.0.1", "localhost"].includes(url.hostname) && url.protocol.startsWith("http")) external.push(req.url());
  });
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(err.message));
  await page.goto("/docs");
  const reference = page.getByTestId("api-reference");
  await expect(reference.getByText("Matinee API").first()).toBeVisible();
  await expect(reference.getByText("/api/recommend", { exact: true }).first()).toBeVisible();
  await expect(reference.getByText("/api/movies/{id}/similar").first()).toBeVisible();
  expect(external).toEqual([]);
  expect(errors).toEqual([]);
});

test("an operation opens with its parameters, and Try it out calls the API", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  await page.goto("/docs");
  const reference = page.getByTestId("api-reference");
  const operation = reference.locator(".opblock").filter({ has: page.locator(".opblock-summary-path", { hasText: /^\/api\/recommend$/ }) });
  await operation.locator(".opblock-summary").click();
  // the parameters table, not a spinner (swagger-ui-react under Turbopack never got this far)
  const userId = operation.locator('tr[data-param-name="userId"]');
  await expect(userId).toBeVisible();
  await expect(userId.locator(".parameter__name.required")).toContainText("userId");
  await operation.getByRole("button", { name: "Try it out" }).click();
  await userId.locator("input").fill("1");
  await operation.getByRole("button", { name: "Execute" }).click();
  const body = operation.locator(".responses-wrapper .live-responses-table .response-col_description pre").first();
  await expect(body).toContainText('"modelVersion"');
  await expect(operation.locator(".live-responses-table tbody .response-col_status").first()).toHaveText("200");
  expect(errors).toEqual([]);
});
