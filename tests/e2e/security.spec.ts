import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";

test("pages carry the security headers and still render under the CSP", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (msg) => {
    if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
  });
  const res = await page.goto("/");
  const headers = res!.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).toContain("https://image.tmdb.org");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  await expect(page.getByTestId("poster-card").nth(5)).toBeVisible();
  await page.goto("/docs");
  await expect(page.getByTestId("api-reference").getByText("Matinee API").first()).toBeVisible();
  expect(violations).toEqual([]);
});

test("no server secret or server-only module reaches the client bundle", () => {
  const dir = path.join(process.cwd(), ".next", "static");
  const offenders: string[] = [];
  const needles = ["AUTH_SECRET", "TMDB_API_KEY", "CRON_SECRET", "METRICS_TOKEN", "better-sqlite3", "password_hash", "key_hash"];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(js|css|json|html)$/.test(e.name)) {
        const text = fs.readFileSync(p, "utf8");
        for (const n of needles) if (text.includes(n)) offenders.push(`${path.relative(dir, p)}: ${n}`);
      }
    }
  };
  walk(dir);
  expect(offenders).toEqual([]);
});
