import { expect, test, type Page } from "@playwright/test";
import { signInAs } from "./accounts";

// The movie page as a visitor sees it: facts, "More like this", and a way in to rate; signed in,
// the "Your activity" toggles and a "More like this" without the films the user has seen.

// One account for the signed-in tests below (each on a film of its own), so the suite does not
// sign up more accounts than the sign-up limit lets one address make in an hour.
const viewer = `movie-page-${Date.now()}@example.com`;

const activity = (page: Page) => page.getByRole("region", { name: "Your activity" });

async function similarIds(page: Page): Promise<number[]> {
  const cards = page.getByRole("region", { name: "More like this" }).getByTestId("poster-card");
  await expect(cards.nth(3)).toBeVisible();
  return cards.evaluateAll((els) => els.map((el) => Number(el.getAttribute("data-movie-id"))));
}

async function openTopPopular(page: Page) {
  await page.goto("/search");
  const first = page.getByTestId("search-results").getByTestId("poster-card").first();
  const title = (await first.getByRole("heading").textContent())!.trim();
  await first.click();
  await expect(page).toHaveURL(/\/movies\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  return title;
}

test("a movie page shows its facts and a More like this row that leads to other films", async ({ page }) => {
  const title = await openTopPopular(page);
  await expect(page.getByTestId("movie-year")).toHaveText(/^\d{4}$/);
  await expect(page.getByTestId("movie-runtime")).toHaveText(/^(\d+h )?\d+m$/);
  await expect(page.getByTestId("movie-tmdb-rating")).toContainText(/^\d\.\d\/10/);
  await expect(page.getByRole("list", { name: "Genres" }).getByRole("listitem").first()).toBeVisible();
  // the film's own poster is named; the cards' posters are decoration inside links named by their titles
  await expect(page.getByRole("img", { name: `Poster for ${title}`, exact: true })).toBeVisible();

  const row = page.getByRole("region", { name: "More like this" });
  const similar = row.getByTestId("poster-card");
  await expect(similar.nth(5)).toBeVisible();
  const here = page.url();
  const next = (await similar.first().getByRole("heading").textContent())!.trim();
  await similar.first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(next);
  expect(page.url()).not.toBe(here);
});

test("on a slow connection, the clicked poster shows it is loading until its movie page arrives", async ({ page }) => {
  await page.goto("/search");
  const card = page.getByTestId("search-results").getByTestId("poster-card").nth(1);
  const id = await card.getAttribute("data-movie-id");
  const title = (await card.getByRole("heading").textContent())!.trim();
  // hold the movie page's navigation request (not a prefetch) until the cue has been seen
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => url.pathname === `/movies/${id}`,
    async (route) => {
      const headers = route.request().headers();
      if (headers["rsc"] && !headers["next-router-prefetch"]) await held;
      await route.continue();
    },
  );
  const cue = card.getByTestId("link-pending");
  await expect(cue).toHaveCSS("opacity", "0");
  await card.click();
  // was: nothing changed for as long as the page took (QA)
  await expect(cue).toHaveAttribute("data-pending", "true");
  await expect(cue).toHaveCSS("opacity", "1");
  await expect(page).toHaveURL(/\/search$/);
  release();
  await expect(page).toHaveURL(new RegExp(`/movies/${id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
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

test("Like: a pressed toggle that stays liked after a reload, is undone by pressing it again, and flips back when a save fails", async ({ page }) => {
  // was: the page never showed a like (onboarding picks are likes), so one could not be seen or undone
  await signInAs(page, viewer);
  await page.goto("/movies/603");
  const like = activity(page).getByTestId("like-toggle");
  await expect(like).toHaveAttribute("aria-pressed", "false");
  await expect(like).toHaveAccessibleName("Like");
  await like.click();
  await expect(like).toHaveAttribute("aria-pressed", "true");
  await expect(like).toHaveAccessibleName("Liked");
  await expect(like).toHaveAttribute("aria-busy", "false");
  await page.reload();
  await expect(like).toHaveAttribute("aria-pressed", "true");

  // the server refuses: the toggle shows "not liked" at once, then goes back and says why
  let answer!: () => void;
  const held = new Promise<void>((resolve) => (answer = resolve));
  await page.route("**/api/interactions", async (route) => {
    await held;
    await route.fulfill({ status: 500, contentType: "application/json", body: "{}" });
  });
  const places = () => Promise.all(["like-toggle", "watchlist-toggle", "watched-button"].map(async (id) => (await activity(page).getByTestId(id).boundingBox())!));
  const before = await places();
  await like.click();
  await expect(like).toHaveAttribute("aria-pressed", "false");
  await expect(like).toHaveAttribute("aria-busy", "true");
  answer();
  await expect(activity(page).getByRole("alert")).toHaveText("Couldn't save that. Try again.");
  await expect(like).toHaveAttribute("aria-pressed", "true");
  await expect(like).toHaveAttribute("aria-busy", "false");
  // the message wraps under its button: the buttons beside it stay where they were (was: pushed
  // aside and onto another line by the message's width)
  const after = await places();
  expect(after.map((b) => [b.x, b.y])).toEqual(before.map((b) => [b.x, b.y]));
  const message = (await activity(page).getByRole("alert").boundingBox())!;
  expect(message.width).toBeLessThanOrEqual(after[0].width + 0.5);
  await page.unroute("**/api/interactions");

  await like.click();
  await expect(like).toHaveAttribute("aria-pressed", "false");
  await expect(like).toHaveAttribute("aria-busy", "false");
  await expect(activity(page).getByRole("alert")).toHaveCount(0);
  await page.reload();
  await expect(like).toHaveAttribute("aria-pressed", "false");
});

test("Mark as watched is a toggle: Enter marks it, Enter again takes it back, and focus stays on the button", async ({ page }) => {
  // was: the button turned disabled once pressed: no undo, and keyboard focus fell to <body>
  await signInAs(page, viewer);
  await page.goto("/movies/155");
  const watched = activity(page).getByTestId("watched-button");
  await expect(watched).toHaveAttribute("aria-pressed", "false");
  await watched.focus();
  await page.keyboard.press("Enter");
  await expect(watched).toHaveAttribute("aria-pressed", "true");
  await expect(watched).toHaveText("✓ Watched");
  // the tick is seen, not read out: its name is the word (was "✓ Watched")
  await expect(watched).toHaveAccessibleName("Watched");
  await expect(watched).toHaveAttribute("aria-busy", "false");
  await expect(watched).toBeFocused();
  await expect(watched).toBeEnabled();
  await page.reload();
  await expect(watched).toHaveAttribute("aria-pressed", "true");

  await watched.focus();
  await page.keyboard.press("Enter");
  await expect(watched).toHaveAttribute("aria-pressed", "false");
  await expect(watched).toHaveText("Mark as watched");
  await expect(watched).toHaveAttribute("aria-busy", "false");
  await expect(watched).toBeFocused();
  await page.reload();
  await expect(watched).toHaveAttribute("aria-pressed", "false");
});

test("signed in, More like this leaves out the films the user has rated, watched or liked; signed out it shows them", async ({ page }) => {
  await signInAs(page, viewer);
  await page.goto("/movies/13"); // Forrest Gump
  const before = await similarIds(page);
  const [rated, watched, liked] = before;
  for (const data of [
    { kind: "rating", movieId: rated, value: 4 },
    { kind: "watch", movieId: watched },
    { kind: "like", movieId: liked, value: 1 },
  ]) {
    expect((await page.request.post("/api/interactions", { data })).ok()).toBe(true);
  }
  await page.reload();
  const after = await similarIds(page);
  expect(after.filter((id) => [rated, watched, liked].includes(id))).toEqual([]);
  expect(after.slice(0, 3)).toEqual(before.slice(3, 6));

  // a visitor's row is the film's neighbours, those three included
  await page.context().clearCookies();
  await page.reload();
  expect((await similarIds(page)).slice(0, 3)).toEqual([rated, watched, liked]);
});
