// User-facing auth messages, shared by the forms, the server actions and the tests.

// Same words for an unknown email and a wrong password: no hint which emails have accounts.
export const SIGN_IN_FAILED = "That email and password don't match an account. Check them and try again.";
// Deliberately vague: saying "that email is taken" would tell anyone which emails have accounts.
export const SIGN_UP_FAILED = "We couldn't create an account with those details. If you already have one, sign in instead.";
export const SIGN_IN_MISSING = "Enter your email and password.";
export const SIGN_UP_FAILED_NO_SESSION = "Your account was created, but we couldn't sign you in. Please sign in.";

export function tooManyAttemptsMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many attempts. Please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`;
}

/** The sign-in page's notice for Auth.js's `?error=` after a failed OAuth (or no-JS) sign-in. */
export function authErrorMessage(error: string | undefined): string | null {
  // Auth.js's own error page, visited with no error (`GET /api/auth/error`), redirects here with
  // the text "undefined": nothing failed, so there is nothing to say
  if (!error || error === "undefined") return null;
  if (error === "CredentialsSignin") return SIGN_IN_FAILED;
  if (error === "AccessDenied") {
    return "We couldn't sign you in with that provider: its email address must be verified there first.";
  }
  return "Signing in didn't work. Please try again.";
}

/** What the pages a signed-out visitor is sent to sign in from need the account for. */
const SIGN_IN_REASONS: [RegExp, string][] = [
  [/^\/me\/ratings\/?$/, "Sign in to see your ratings."],
  [/^\/me\/watchlist\/?$/, "Sign in to see your watchlist."],
  [/^\/me\/likes\/?$/, "Sign in to see the films you like."],
  [/^\/me\/watched\/?$/, "Sign in to see the films you've watched."],
  [/^\/me(\/account)?\/?$/, "Sign in to manage your account."],
  [/^\/onboarding\/?$/, "Sign in to pick your favourite films."],
  [/^\/movies\/\d+\/?$/, "Sign in to rate this film, like it or add it to your watchlist."],
  [/^\/admin(\/[\w-]+)*\/?$/, "Sign in with an admin account to continue."],
];

/**
 * The sign-in page's line saying why it is asked for, from where sign-in will go back to: a
 * same-site path that `safeCallbackUrl` kept ("/me/ratings" → "Sign in to see your ratings.",
 * another page of the app → "Sign in to continue."). Nothing for home ("/"), which is also where
 * a missing or unsafe callback goes: the visitor chose to sign in.
 */
export function signInReason(callbackUrl: string): string | null {
  if (!callbackUrl.startsWith("/") || callbackUrl === "/") return null;
  const pathname = new URL(callbackUrl, "http://matinee.invalid").pathname;
  if (pathname === "/") return null;
  return SIGN_IN_REASONS.find(([path]) => path.test(pathname))?.[1] ?? "Sign in to continue.";
}
