import { describe, expect, it } from "vitest";
import { authErrorMessage, SIGN_IN_FAILED, tooManyAttemptsMessage } from "@/lib/auth/messages";

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
