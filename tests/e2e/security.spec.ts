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

test("API responses carry the API's own policy (they load nothing) and the shared headers", async ({ page }) => {
  for (const url of ["/api/health", "/api/posters/11", "/api/recommend?userId=1&k=3"]) {
    const res = await page.request.get(url);
    expect(res.status(), url).toBe(200);
    const headers = res.headers();
    expect(headers["content-security-policy"], url).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(headers["x-content-type-options"], url).toBe("nosniff");
    expect(headers["x-frame-options"], url).toBe("DENY");
  }
});

// The e2e server runs with this AUTH_SECRET (tests/e2e/server.ts).
const E2E_SECRET = "e2e-secret-e2e-secret-e2e-secret";

test("no server secret or server-only code reaches the client bundle", () => {
  const dir = path.join(process.cwd(), ".next", "static");
  const offenders: string[] = [];
  // Reads of secret env vars, server-only modules and credential columns; (UI text may name a
  // variable, e.g. "Needs TMDB_API_KEY on the server", so names alone are not searched for.)
  const needles = [
    /process\.env\.(AUTH_SECRET|TMDB_API_KEY|CRON_SECRET|METRICS_TOKEN|AUTH_\w+_SECRET)/,
    /better-sqlite3|drizzle-orm\/|password_hash|key_hash/,
    new RegExp(E2E_SECRET),
  ];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(js|css|json|html)$/.test(e.name)) {
        const text = fs.readFileSync(p, "utf8");
        for (const n of needles) {
          const m = n.exec(text);
          if (m) offenders.push(`${path.relative(dir, p)}: ${m[0]}`);
        }
      }
    }
  };
  walk(dir);
  expect(offenders).toEqual([]);
});

test("pages never carry the server's secret", async ({ page }) => {
  for (const url of ["/", "/movies/11", "/signin", "/docs"]) {
    const res = await page.request.get(url);
    expect(await res.text()).not.toContain(E2E_SECRET);
  }
});
