import { expect, type Page } from "@playwright/test";

/**
 * Make sure two model versions are ready (to compare runs, or serve an experiment's arms): train a
 * popularity model (kept as a candidate by the gate) when there is only one. `page` is an admin's.
 */
export async function ensureTwoVersions(page: Page) {
  const models = await (await page.request.get("/api/models")).json();
  if (models.items.filter((v: { status: string }) => v.status === "ready").length >= 2) return;
  const res = await page.request.post("/api/admin/jobs", { data: { kind: "train", params: { model: "popularity" } } });
  expect(res.status()).toBe(202);
  const { job } = await res.json();
  await expect
    .poll(async () => (await (await page.request.get(`/api/admin/jobs/${job.id}`)).json()).job.status, { timeout: 90_000, intervals: [1000] })
    .toBe("succeeded");
}
