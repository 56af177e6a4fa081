import { expect, type Page } from "@playwright/test";

// The e2e server runs with ADMIN_EMAILS=admin@e2e.test (tests/e2e/server.ts), so that account is
// an admin whichever spec signs up first; everyone else is a plain user.
export const ADMIN = "admin@e2e.test";
export const PASSWORD = "popcorn-and-a-movie";

/** Sign up, or sign in when the account already exists (another test in this run made it). */
export async function signInAs(page: Page, email: string, password = PASSWORD) {
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
