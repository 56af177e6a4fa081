import { expect, test } from "@playwright/test";

test("the API reference renders the OpenAPI document offline", async ({ page }) => {
  const external: string[] = [];
  page.on("request", (req) => {
    const url = new URL(req.url());
    if (!["127.0.0.1", "localhost"].includes(url.hostname) && url.protocol.startsWith("http")) external.push(req.url());
  });
  await page.goto("/docs");
  const reference = page.getByTestId("api-reference");
  await expect(reference.getByText("Matinee API").first()).toBeVisible();
  await expect(reference.getByText("/api/recommend", { exact: true }).first()).toBeVisible();
  await expect(reference.getByText("/api/movies/{id}/similar").first()).toBeVisible();
  expect(external).toEqual([]);
});
