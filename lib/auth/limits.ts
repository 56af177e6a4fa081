import { createHash } from "node:crypto";
import { clientIp, enforceRateLimit, uncountAttempt } from "@/lib/ratelimit";

export { clientIp };

const MINUTE = 60_000;

// Sign-in limits count failed attempts: every attempt is counted before its password is checked
// (over the limit, the password is not checked at all), and one with the right password is taken
// back (forgiveSignIn). So signing in often is fine; guessing is not.
// Per email + IP: a person mistyping a password a few times is fine, a guessing script is not.
export const SIGN_IN_LIMIT = { limit: 10, windowMs: 10 * MINUTE };
// Per email across all IPs: a script rotating X-Forwarded-For still hits this ceiling.
export const SIGN_IN_EMAIL_LIMIT = { limit: 50, windowMs: 10 * MINUTE };
export const SIGN_UP_LIMIT = { limit: 10, windowMs: 10 * MINUTE };
// Per IP: many new accounts from one address in an hour is a script.
export const SIGN_UP_IP_LIMIT = { limit: 50, windowMs: 60 * MINUTE };

export const TOO_MANY_ATTEMPTS = "Too many attempts. Please wait a few minutes and try again.";

// Keys are hashed: bounded length whatever a client sends, and no raw emails in rate_limits.
function key(kind: string, ...parts: string[]): string {
  return `${kind}:${createHash("sha256").update(parts.join("\n")).digest("base64url").slice(0, 32)}`;
}

function normalizeEmail(email: unknown): string {
  return typeof email === "string" ? email.trim().toLowerCase().slice(0, 320) : "";
}

/** Count a sign-in attempt; throws ApiError `rate_limited` (429, Retry-After) when over a limit. */
export async function limitSignIn(email: unknown, ip: string): Promise<void> {
  const e = normalizeEmail(email);
  await enforceRateLimit(key("signin", e, ip), SIGN_IN_LIMIT.limit, SIGN_IN_LIMIT.windowMs, TOO_MANY_ATTEMPTS);
  await enforceRateLimit(key("signin-email", e), SIGN_IN_EMAIL_LIMIT.limit, SIGN_IN_EMAIL_LIMIT.windowMs, TOO_MANY_ATTEMPTS);
}

/**
 * Take back the attempt limitSignIn counted, once its password proved right: both counters, in the
 * current window. Called from the credentials check, which the form and Auth.js's route share.
 */
export async function forgiveSignIn(email: unknown, ip: string): Promise<void> {
  const e = normalizeEmail(email);
  await uncountAttempt(key("signin", e, ip), SIGN_IN_LIMIT.windowMs);
  await uncountAttempt(key("signin-email", e), SIGN_IN_EMAIL_LIMIT.windowMs);
}

/** Count a sign-up attempt; throws ApiError `rate_limited` (429, Retry-After) when over a limit. */
export async function limitSignUp(email: unknown, ip: string): Promise<void> {
  await enforceRateLimit(key("signup-ip", ip), SIGN_UP_IP_LIMIT.limit, SIGN_UP_IP_LIMIT.windowMs, TOO_MANY_ATTEMPTS);
  await enforceRateLimit(key("signup", normalizeEmail(email), ip), SIGN_UP_LIMIT.limit, SIGN_UP_LIMIT.windowMs, TOO_MANY_ATTEMPTS);
}

// Per account: the account page checks the current password before changing it or deleting the
// account, so a stolen session cannot guess it quickly either.
export const PASSWORD_CHECK_LIMIT = { limit: 10, windowMs: 10 * MINUTE };

/** Count a current-password check on the account page; throws ApiError `rate_limited` when over the limit. */
export async function limitPasswordCheck(userId: number): Promise<void> {
  await enforceRateLimit(key("password-check", String(userId)), PASSWORD_CHECK_LIMIT.limit, PASSWORD_CHECK_LIMIT.windowMs, TOO_MANY_ATTEMPTS);
}
