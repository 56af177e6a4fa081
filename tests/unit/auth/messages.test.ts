import { describe, expect, it } from "vitest";
import { authErrorMessage, SIGN_IN_FAILED, signInReason, tooManyAttemptsMessage } from "@/lib/auth/messages";
import { safeCallbackUrl } from "@/lib/auth/schemas";

describe("authErrorMessage (the sign-in page's notice for ?error=)", () => {
  it("says nothing when nothing failed", () => {
    expect(authErrorMessage(undefined)).toBeNull();
    expect(authErrorMessage("")).toBeNull();
    // what Auth.js sends when its error page is visited with no error
    expect(authErrorMessage("undefined")).toBeNull();
  });

  it("names a wrong password, a refused provider, and anything else generically", () => {
    expect(authErrorMessage("CredentialsSignin")).toBe(SIGN_IN_FAILED);
    expect(authErrorMessage("AccessDenied")).toMatch(/verified/);
    expect(authErrorMessage("Configuration")).toBe("Signing in didn't work. Please try again.");
  });
});

describe("tooManyAttemptsMessage", () => {
  it("rounds up to whole minutes", () => {
    expect(tooManyAttemptsMessage(1)).toBe("Too many attempts. Please wait 1 minute and try again.");
    expect(tooManyAttemptsMessage(61)).toBe("Too many attempts. Please wait 2 minutes and try again.");
  });
});

describe("signInReason (the sign-in page's line saying why)", () => {
  // was: "My ratings" signed out landed on a bare sign-in form that did not say why
  it.each([
    ["/me/ratings", "Sign in to see your ratings."],
    ["/me/ratings?page=2", "Sign in to see your ratings."],
    ["/me/watchlist", "Sign in to see your watchlist."],
    ["/me/likes", "Sign in to see the films you like."],
    ["/me/watched", "Sign in to see the films you've watched."],
    ["/me/account", "Sign in to manage your account."],
    ["/onboarding?next=%2Fmovies%2F603", "Sign in to pick your favourite films."],
    ["/movies/603", "Sign in to rate this film, like it or add it to your watchlist."],
    ["/admin/runs?compare=3,5", "Sign in with an admin account to continue."],
    ["/search?query=alien", "Sign in to continue."],
    ["/no-such-page", "Sign in to continue."],
  ])("%s: %s", (callbackUrl, reason) => {
    expect(signInReason(safeCallbackUrl(callbackUrl))).toBe(reason);
  });

  it("says nothing for home, nor for a callback sign-in does not follow (another site, junk): it goes home", () => {
    for (const raw of ["/", "/?x=1", undefined, "https://evil.example/me/ratings", "//evil.example/me/ratings", "/\\evil.example", "javascript:alert(1)", "/signin"]) {
      expect(signInReason(safeCallbackUrl(raw)), String(raw)).toBeNull();
    }
  });

  it("never repeats the URL's own text", () => {
    expect(signInReason(safeCallbackUrl("/<b>Your account is locked, call 555-0100</b>"))).toBe("Sign in to continue.");
  });
});
