import fs from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { PASSWORD, signInAs } from "./accounts";

// The account page (/me/account): what Matinee keeps about me, as a download; changing my
// password; signing out of every device; deleting my account, after which nothing of it is served or
// can sign in.

const formAlert = (page: Page) => page.locator("form [role=alert]");

/** The same account signed in on another device (a browser context of its own). */
async function signInOnAnotherDevice(browser: Browser, email: string) {
  const otherDevice = await browser.newContext();
  const other = await otherDevice.newPage();
  await other.goto("/signin");
  await other.getByLabel("Email").fill(email);
  await other.getByLabel("Password").fill(PASSWORD);
  await other.getByRole("button", { name: "Sign in" }).click();
  await expect(other.getByTestId("user-email")).toHaveText(email);
  return { otherDevice, other };
}

test("my account: download my data, change my password, delete the account and everything with it", async ({ page, browser }) => {
  const email = `leaving-${Date.now()}@example.com`;
  await signInAs(page, email);
  const { otherDevice, other } = await signInOnAnotherDevice(browser, email);
  expect((await page.request.post("/api/interactions", { data: { kind: "rating", movieId: 603, value: 4.5 } })).ok()).toBe(true);
  expect((await page.request.post("/api/interactions", { data: { kind: "watchlist", movieId: 155 } })).ok()).toBe(true);

  // from the header, on any page
  await page.goto("/search");
  await page.getByRole("link", { name: `Your account (${email})` }).click();
  await expect(page).toHaveURL(/\/me\/account$/);
  await expect(page.getByTestId("account-email")).toHaveText(email);
  await expect(page.getByTestId("account-counts")).toContainText("1 rating, 0 watches, 0 likes and 1 film on your watchlist");

  // the download is the API's export: every signal with its film
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download your data (JSON)" }).click()]);
  const data = JSON.parse(fs.readFileSync((await download.path())!, "utf8"));
  expect(data.account.email).toBe(email);
  expect(data.interactions.map((i: { movieId: number; kind: string }) => `${i.kind} ${i.movieId}`).sort()).toEqual(["rating 603", "watchlist 155"]);
  const userId: number = data.account.id;

  // changing the password needs the current one; an empty form asks for both (was: the new one
  // "must differ from your current password")
  const change = page.getByRole("form", { name: "Change password" });
  await change.getByRole("button", { name: "Change password" }).click();
  await expect(change.getByText("Enter your current password.")).toBeVisible();
  await expect(change.getByText("Enter a new password.")).toBeVisible();
  await expect(change.getByLabel("Current password")).toBeFocused();
  await change.getByLabel("Current password").fill("not-my-password");
  await change.getByLabel("New password").fill("a-brand-new-password");
  await change.getByRole("button", { name: "Change password" }).click();
  await expect(change.getByText("That is not your current password.")).toBeVisible();
  await expect(change.getByLabel("Current password")).toBeFocused();
  await change.getByLabel("Current password").fill(PASSWORD);
  await change.getByLabel("New password").fill("a-brand-new-password");
  await change.getByRole("button", { name: "Change password" }).click();
  await expect(change.getByRole("status")).toHaveText("Password changed, and every other device signed out. Use the new one next time you sign in.");
  await expect(change.getByLabel("New password")).toHaveValue("");
  // the other device is signed out (was: signed in until its session expired, 30 days); this one is not
  await other.reload();
  await expect(other.getByRole("link", { name: "Sign in" })).toBeVisible();
  await otherDevice.close();
  await page.reload();
  await expect(page.getByTestId("account-email")).toHaveText(email);

  // deleting needs the (new) password
  const remove = page.getByRole("form", { name: "Delete account" });
  await remove.getByLabel("Your password").fill(PASSWORD);
  await remove.getByRole("button", { name: "Delete my account and its data" }).click();
  await expect(remove.getByText("That is not your current password.")).toBeVisible();
  await remove.getByLabel("Your password").fill("a-brand-new-password");
  await remove.getByRole("button", { name: "Delete my account and its data" }).click();
  await expect(page).toHaveURL(/\/\?account=deleted$/);
  await expect(page.getByTestId("account-deleted")).toHaveText("Your account, your ratings, watches, likes and watchlist, and the recommendations made for you are deleted.");
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(formAlert(page)).toHaveCount(0);
  // only to the browser that deleted it: the same link says nothing to anyone else (was: to anyone)
  const stranger = await browser.newContext();
  const strangerPage = await stranger.newPage();
  await strangerPage.goto("/?account=deleted");
  await expect(strangerPage.getByTestId("home-grid")).toBeVisible();
  await expect(strangerPage.getByTestId("account-deleted")).toHaveCount(0);
  await stranger.close();

  // nothing of it is served any more, and it cannot sign in
  const recs = await (await page.request.get(`/api/recommend?userId=${userId}&k=5`)).json();
  expect(recs.source).toBe("popular");
  expect((await page.request.get("/api/me/export")).status()).toBe(401);
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a-brand-new-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(formAlert(page)).toContainText("don't match an account");
});

test("the account page needs a session: signed out, it sends me to sign in and back", async ({ page }) => {
  await page.goto("/me/account");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fme%2Faccount$/);
  // /me is the account page too (was: a 404), signed out and signed in
  await page.goto("/me");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fme%2Faccount$/);
  const email = `me-${Date.now()}@example.com`;
  await signInAs(page, email);
  await page.goto("/me");
  await expect(page).toHaveURL(/\/me\/account$/);
  await expect(page.getByTestId("account-email")).toHaveText(email);
});

test("sign out of every device: this one and the others are signed out, and signing in again works", async ({ page, browser }) => {
  const email = `everywhere-${Date.now()}@example.com`;
  await signInAs(page, email);
  const { otherDevice, other } = await signInOnAnotherDevice(browser, email);

  await page.goto("/me/account");
  await page.getByRole("form", { name: "Sign out of every device" }).getByRole("button", { name: "Sign out of every device" }).click();
  await expect(page).toHaveURL(/\/signin\?signedOut=everywhere$/);
  await expect(page.getByTestId("signed-out-everywhere")).toHaveText("You're signed out on every device.");
  expect((await page.request.get("/api/me/export")).status()).toBe(401);

  // the other device's cookie no longer counts (it stays until it expires, without effect)
  await other.reload();
  await expect(other.getByRole("link", { name: "Sign in" })).toBeVisible();
  expect((await other.request.get("/api/me/export")).status()).toBe(401);
  await otherDevice.close();

  // a new sign-in carries the new session version
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("user-email")).toHaveText(email);
  expect((await page.request.get("/api/me/export")).status()).toBe(200);
});
