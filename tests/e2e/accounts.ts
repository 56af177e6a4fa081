import { expect, type Cookie, type Page } from "@playwright/test";

// The e2e server runs with ADMIN_EMAILS=admin@e2e.test (tests/e2e/server.ts), so that account is
// an admin whichever spec signs up first; everyone else is a plain user.
export const ADMIN = "admin@e2e.test";
export const PASSWORD = "popcorn-and-a-movie";

// Session cookies of the accounts this worker has signed in, so a later test starts signed in
// without posting the forms again (faster). Tests of the forms themselves fill them in as before.
const sessions = new Map<string, Cookie[]>();

/**
 * Sign up, or sign in when the account already exists (another test in this run made it); reuses
 * this worker's earlier session for the account when the server still takes it.
 */
export async function signInAs(page: Page, email: string, password = PASSWORD) {
  const signedIn = page.getByTestId("user-email");
  const saved = sessions.get(email);
  if (saved) {
    await page.context().addCookies(saved);
    await page.goto("/");
    if ((await signedIn.count()) > 0 && (await signedIn.textContent()) === email) return;
    await page.context().clearCookies();
  }
  await formSignIn(page, email, password);
  sessions.set(email, (await page.context().cookies()).filter((c) => c.name.includes("authjs.session-token")));
}

async function formSignIn(page: Page, email: string, password: string) {
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  const signedIn = page.getByTestId("user-email");
  const refused = page.locator("form [role=alert]");
  await expect(signedIn.or(refused)).toBeVisible();
  if (await signedIn.isVisible()) return;
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(signedIn).toHaveText(email);
}
