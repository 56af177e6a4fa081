import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import { STATE_FILE } from "./server";

test("home page shows a grid of at least 12 posters with the TMDB notice", async ({ page }) => {
  await page.goto("/");
  const cards = page.getByTestId("poster-card");
  await expect(cards.nth(11)).toBeVisible();
  expect(await cards.count()).toBeGreaterThanOrEqual(12);
  // A card's poster is decorative (the card's link is named by its title: tests/e2e/a11y.spec.ts),
  // and with no network the generated posters load.
  const firstImg = cards.first().locator("img");
  await expect(firstImg).toHaveAttribute("alt", "");
  await expect
    .poll(() => firstImg.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
    .toBe(true);
  await expect(page.getByText("This product uses the TMDB API but is not endorsed or certified by TMDB")).toBeVisible();
});

test("the grid is 2 columns on a phone", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  const cards = page.getByTestId("poster-card");
  await expect(cards.nth(2)).toBeVisible(); // measure only once the grid has streamed in
  const [a, b, c] = await Promise.all([0, 1, 2].map((i) => cards.nth(i).boundingBox()));
  expect(a!.y).toBe(b!.y);
  expect(c!.y).toBeGreaterThan(a!.y);
});

test("a movie page opens from the grid and shows its facts", async ({ page }) => {
  await page.goto("/");
  const first = page.getByTestId("poster-card").first();
  const title = (await first.getByRole("heading").textContent())!.trim();
  await first.click();
  await expect(page).toHaveURL(/\/movies\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(page.getByRole("list", { name: "Genres" })).toBeVisible();
});

test("an unknown movie shows the not-found page, with a real 404", async ({ page }) => {
  for (const path of ["/movies/999999999", "/movies/abc"]) {
    const res = await page.goto(path);
    // not a "soft 404": crawlers and link checkers see the status, not only the page
    expect(res!.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    await expect(page, path).toHaveTitle("Page not found · Matinee"); // was the bare site default, "Matinee"
  }
  // a known movie still answers 200 and streams its similar-movies row in
  const ok = await page.goto("/movies/603");
  expect(ok!.status()).toBe(200);
  await expect(page.getByRole("region", { name: "More like this" })).toBeVisible();
});

test("/movies, above every movie page, goes to the catalog's search (it was a 404)", async ({ page }) => {
  const res = await page.request.get("/movies?genre=Horror", { maxRedirects: 0 });
  expect(res.status()).toBe(307);
  expect(res.headers()["location"]).toBe("/search?genre=Horror");
  await page.goto("/movies");
  await expect(page).toHaveURL(/\/search$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Browse the catalog");
});

test("an unknown address shows the not-found page, titled as such", async ({ page }) => {
  const res = await page.goto("/no-such-page");
  expect(res!.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  await expect(page).toHaveTitle("Page not found · Matinee");
});

test("pages name the site icon, and every icon they name is served", async ({ page }) => {
  const missing: string[] = [];
  page.on("response", (res) => {
    if (res.status() >= 400) missing.push(`${res.status()} ${res.url()}`);
  });
  await page.goto("/");
  const links = await page.locator('link[rel="icon"], link[rel="apple-touch-icon"]').evaluateAll((els) =>
    els.map((el) => ({ rel: el.getAttribute("rel"), href: (el as HTMLLinkElement).href, type: el.getAttribute("type") })),
  );
  expect(links.map((l) => l.rel).sort()).toEqual(["apple-touch-icon", "icon", "icon"]);
  for (const link of links) {
    const res = await page.request.get(link.href);
    expect(res.status(), link.href).toBe(200);
    expect(res.headers()["content-type"], link.href).toMatch(/^image\/(x-icon|vnd\.microsoft\.icon|svg\+xml|png)/);
  }
  // browsers that ignore the links ask for /favicon.ico anyway
  const ico = await page.request.get("/favicon.ico");
  expect(ico.status()).toBe(200);
  expect((await ico.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0])); // an ICO header
  expect(missing).toEqual([]);
});

test("a poster whose TMDB image fails shows the generated one, even when it failed before the page hydrated", async ({ page }) => {
  // The bundled catalog has no TMDB posters: give one film a poster path in the server's database
  // (search reads it live), and make TMDB unreachable, so the image fails at once, as offline.
  const { dir } = JSON.parse(fs.readFileSync(STATE_FILE, "utf8")) as { dir: string };
  const db = new Database(path.join(dir, "e2e.db"));
  const movie = db.prepare("select id, poster_path as posterPath from movies where title = 'Alien'").get() as { id: number; posterPath: string | null };
  db.prepare("update movies set poster_path = ? where id = ?").run("/e2e-unreachable.jpg", movie.id);
  try {
    await page.route("https://image.tmdb.org/**", (route) => route.abort("internetdisconnected"));
    await page.goto("/search?query=Alien");
    const img = page.locator(`[data-testid=poster-card][data-movie-id="${movie.id}"] img`);
    // Was: the error came before React listened for it, and the broken-image icon stayed.
    await expect(img).toHaveAttribute("src", `/api/posters/${movie.id}`);
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
  } finally {
    db.prepare("update movies set poster_path = ? where id = ?").run(movie.posterPath, movie.id);
    db.close();
  }
});
