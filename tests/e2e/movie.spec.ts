import { expect, test } from "@playwright/test";
import { signInAs } from "./accounts";

// The movie page as a visitor sees it: facts, "More like this", and a way in to rate.

async function openTopPopular(page: import("@playwright/test").Page) {
  await page.goto("/search");
  const first = page.getByTestId("search-results").getByTestId("poster-card").first();
  const title = (await first.getByRole("heading").textContent())!.trim();
  await first.click();
  await expect(page).toHaveURL(/\/movies\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  return title;
}

test("a movie page shows its facts and a More like this row that leads to other films", async ({ page }) => {
  await openTopPopular(page);
  await expect(page.getByTestId("movie-year")).toHaveText(/^\d{4}$/);
  await expect(page.getByTestId("movie-runtime")).toHaveText(/^(\d+h )?\d+m$/);
  await expect(page.getByTestId("movie-tmdb-rating")).toContainText(/★ \d\.\d/);
  await expect(page.getByRole("list", { name: "Genres" }).getByRole("listitem").first()).toBeVisible();
  await expect(page.getByRole("img", { name: /^Poster for / }).first()).toBeVisible();

  const row = page.getByRole("region", { name: "More like this" });
  const similar = row.getByTestId("poster-card");
  await expect(similar.nth(5)).toBeVisible();
  const here = page.url();
  const next = (await similar.first().getByRole("heading").textContent())!.trim();
  await similar.first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(next);
  expect(page.url()).not.toBe(here);
});

test("signed out, the movie page offers 'Sign in to rate' and comes back after signing in", async ({ page }) => {
  await openTopPopular(page);
  const path = new URL(page.url()).pathname;
  await expect(page.getByTestId("rating-input")).toHaveCount(0);
  const link = page.getByRole("link", { name: "Sign in to rate" });
  await expect(link).toHaveAttribute("href", `/signin?callbackUrl=${encodeURIComponent(path)}`);
  await link.click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
});

test("a genre chip on the movie page opens the search filtered by that genre", async ({ page }) => {
  await openTopPopular(page);
  const chip = page.getByRole("list", { name: "Genres" }).getByRole("link").first();
  const genre = (await chip.textContent())!.trim();
  await chip.click();
  await expect(page).toHaveURL(new RegExp(`/search\\?genre=${encodeURIComponent(genre).replace(/%20/g, "\\+")}$`));
  await expect(page.getByLabel("Genre", { exact: true })).toHaveValue(genre);
});

test("after a watchlist change, Back and Forward show the saved state, not the router's copy from before", async ({ page }) => {
  await signInAs(page, `back-forward-${Date.now()}@example.com`);
  await page.goto("/search");
  const card = page.getByTestId("search-results").getByTestId("poster-card").first();
  const id = await card.getAttribute("data-movie-id");
  await card.click();
  const toggle = page.getByTestId("watchlist-toggle");
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-busy", "false");
  await page.getByRole("link", { name: "Watchlist", exact: true }).click();
  const listed = page.locator(`[data-testid=poster-card][data-movie-id="${id}"]`);
  await expect(listed).toBeVisible();

  await listed.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await toggle.click(); // take it off again
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await expect(toggle).toHaveAttribute("aria-busy", "false");
  // Was: Back showed the watchlist with the film still on it, Forward the button still "on".
  await page.goBack();
  await expect(page).toHaveURL(/\/me\/watchlist$/);
  await expect(listed).toHaveCount(0);
  await page.goForward();
  await expect(page).toHaveURL(new RegExp(`/movies/${id}`));
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
});
