import { expect, test, type Page } from "@playwright/test";

const password = "popcorn-and-a-movie";
const GENERIC = "That email and password don't match an account. Check them and try again.";

// The form's own alert (Next also renders an empty role="alert" route announcer).
const formAlert = (page: Page) => page.locator("form [role=alert]");

async function signUp(page: Page, email: string) {
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
}

test("sign up → signed in → sign out → sign in again, returning to the page I came from", async ({ page }) => {
  const email = `journey-${Date.now()}@example.com`;
  await page.goto("/");
  await page.getByRole("link", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page.getByRole("heading", { name: "Create an account" })).toBeVisible();

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("user-email")).toHaveText(email);
  await expect(page).toHaveURL(/\/onboarding$/);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(page.getByTestId("user-email")).toHaveCount(0);

  // Sign in from a movie page's link and come back to it.
  await page.getByTestId("poster-card").first().click();
  await expect(page).toHaveURL(/\/movies\/\d+$/);
  const moviePath = new URL(page.url()).pathname;
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(moviePath)}`);
  await page.getByLabel("Email").fill(email.toUpperCase()); // emails are case-insensitive
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("user-email")).toHaveText(email);
  await expect(page).toHaveURL(new RegExp(`${moviePath}$`));

  // Signed in, the sign-in page sends you on instead of showing the form again.
  await page.goto("/signin");
  await expect(page).toHaveURL(/\/$/);
});

test("signing out ends the session: a copy of its cookie kept from before no longer counts", async ({ page, browser }) => {
  const email = `copy-${Date.now()}@example.com`;
  await signUp(page, email);
  await expect(page.getByTestId("user-email")).toHaveText(email);
  const copy = await page.context().cookies();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  // was: the copy (another tab's, a stolen one) stayed signed in until the cookie expired
  const elsewhere = await browser.newContext();
  try {
    await elsewhere.addCookies(copy);
    expect((await elsewhere.request.get("/api/me/export")).status()).toBe(401);
    const other = await elsewhere.newPage();
    await other.goto("/");
    await expect(other.getByRole("link", { name: "Sign in" })).toBeVisible();
  } finally {
    await elsewhere.close();
  }
});

test("a wrong password and an unknown email get the same generic message (keyboard only)", async ({ page }) => {
  const email = `wrong-${Date.now()}@example.com`;
  await signUp(page, email);
  await expect(page.getByTestId("user-email")).toHaveText(email);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();

  for (const tryEmail of [email, `nobody-${Date.now()}@example.com`]) {
    await page.goto("/signin");
    // focus() does not wait for the streamed form to be revealed; wait until it is on screen.
    await expect(page.getByLabel("Email")).toBeVisible();
    await page.getByLabel("Email").focus();
    await page.keyboard.type(tryEmail);
    await page.keyboard.press("Tab");
    await expect(page.getByLabel("Password")).toBeFocused();
    await page.keyboard.type("not-my-password");
    await page.keyboard.press("Enter");
    await expect(formAlert(page)).toHaveText(GENERIC);
    await expect(page.getByLabel("Email")).toHaveValue(tryEmail);
    await expect(page.getByTestId("user-email")).toHaveCount(0);
  }
});

test("sign-up explains what is wrong, next to the field", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Email must be an email address.")).toBeVisible();
  await expect(page.getByText("Password must be at least 8 characters.")).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");

  // long enough is not enough (was: "12345678" and ten spaces made an account)
  for (const [weak, why] of [["12345678", "must not be one of the most common passwords"], [" ".repeat(10), "must not be only spaces"]]) {
    await page.getByLabel("Email").fill(`weak-${Date.now()}@example.com`);
    await page.getByLabel("Password").fill(weak);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText(`Password ${why}.`)).toBeVisible();
    await expect(page.getByTestId("user-email")).toHaveCount(0);
  }

  // An email that already has an account gets a message that doesn't confirm it.
  const email = `dup-${Date.now()}@example.com`;
  await signUp(page, email);
  await expect(page.getByTestId("user-email")).toHaveText(email);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await signUp(page, email);
  await expect(formAlert(page)).toContainText("We couldn't create an account with those details");
});

test("signing in through the form more often than the sign-in limit's attempts is fine: only failed ones count", async ({ page }) => {
  test.setTimeout(90_000);
  const email = `regular-${Date.now()}@example.com`;
  await signUp(page, email);
  await expect(page.getByTestId("user-email")).toHaveText(email);
  // The limit allows 10 attempts per account and address in 10 minutes (lib/auth/limits.ts).
  for (let i = 0; i < 12; i++) {
    await page.context().clearCookies();
    await page.goto("/signin");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("user-email"), `sign-in ${i + 1}`).toHaveText(email);
  }
});

test("signed out, each account link in the header comes back to its own page after sign-in, and sign-in says why", async ({ page }) => {
  // was: Watchlist landed on My ratings: the client router reused the shared account layout's
  // prefetched redirect, whose callbackUrl named the other page
  // and the sign-in page says why it is asked for (was: a bare form)
  const links = [
    ["Watchlist", "/me/watchlist", "Sign in to see your watchlist."],
    ["My ratings", "/me/ratings", "Sign in to see your ratings."],
    ["Likes", "/me/likes", "Sign in to see the films you like."],
    ["Watched", "/me/watched", "Sign in to see the films you've watched."],
  ] as const;
  for (const [link, path, reason] of links) {
    await page.goto("/search");
    await page.waitForLoadState("networkidle"); // the header's links have been prefetched
    await page.getByRole("navigation").getByRole("link", { name: link, exact: true }).click();
    await expect(page).toHaveURL(`/signin?${new URLSearchParams({ callbackUrl: path })}`);
    await expect(page.getByTestId("signin-reason")).toHaveText(reason);
  }
  // another page of the app gets a generic line; home, or a callback to another site, none
  await page.goto("/signin?callbackUrl=%2Fsearch%3Fquery%3Dalien");
  await expect(page.getByTestId("signin-reason")).toHaveText("Sign in to continue.");
  for (const url of ["/signin", "/signin?callbackUrl=https%3A%2F%2Fevil.example%2Fme%2Fratings", "/signin?callbackUrl=%2F%2Fevil.example"]) {
    await page.goto(url);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await expect(page.getByTestId("signin-reason"), url).toHaveCount(0);
  }
});

test("Auth.js's own pages are the app's: sign-out asks on /signout, verify-request and errors go to sign-in", async ({ page }) => {
  // was: Auth.js's unstyled pages, with CSP errors in the console; verify-request even said an
  // email link had been sent (there is no email provider)
  const consoleErrors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  const email = `signout-page-${Date.now()}@example.com`;
  await signUp(page, email);
  await expect(page.getByTestId("user-email")).toHaveText(email);

  await page.goto("/api/auth/signout");
  await expect(page).toHaveURL(/\/signout$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign out");
  const main = page.getByRole("main");
  await expect(main).toContainText(`You're signed in as ${email}. Sign out on this device?`);
  await main.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();

  // signed out, the page says so
  await page.goto("/api/auth/signout");
  await expect(page).toHaveURL(/\/signout$/);
  await expect(page.getByTestId("signed-out")).toHaveText("You're signed out.");

  await page.goto("/api/auth/verify-request");
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(page.getByText(/check your email/i)).toHaveCount(0);
  await page.goto("/api/auth/error?error=Configuration");
  await expect(page).toHaveURL(/\/signin\?error=Configuration$/);
  await expect(formAlert(page)).toHaveText("Signing in didn't work. Please try again.");
  expect(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
});
