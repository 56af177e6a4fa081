"use server";

import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { ApiError, zodDetails } from "@/lib/http/errors";
import { signUp } from "./accounts";
import { clientIp, limitSignIn } from "./limits";
import { SIGN_IN_FAILED, SIGN_IN_MISSING, SIGN_UP_FAILED_NO_SESSION, tooManyAttemptsMessage } from "./messages";
import { signIn, signOut } from "./next-auth";
import { availableOAuthProviders } from "./oauth";
import { safeCallbackUrl, signInSchema, signUpSchema } from "./schemas";

// Server actions behind the sign-in / sign-up forms and the header's sign-out button.

export type AuthFormState = {
  /** One message for the whole form (wrong password, rate limited, ...). */
  error?: string;
  /** Per-field messages (sign-up validation). */
  fieldErrors?: Record<string, string[]>;
  /** What was typed, so a failed attempt does not clear the email field. */
  email?: string;
};

function rateLimitedMessage(err: ApiError): string {
  return tooManyAttemptsMessage((err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 60);
}

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

export async function signInWithPassword(_prev: AuthFormState, form: FormData): Promise<AuthFormState> {
  const email = text(form, "email");
  const password = text(form, "password");
  const redirectTo = safeCallbackUrl(form.get("callbackUrl"));
  if (!email.trim() || !password) return { error: SIGN_IN_MISSING, email };
  const parsed = signInSchema.safeParse({ email, password });
  if (!parsed.success) return { error: SIGN_IN_FAILED, email };
  try {
    await limitSignIn(parsed.data.email, clientIp(await headers()));
  } catch (err) {
    if (err instanceof ApiError && err.code === "rate_limited") return { error: rateLimitedMessage(err), email };
    throw err;
  }
  try {
    // Redirects (by throwing) on success.
    await signIn("credentials", { ...parsed.data, redirectTo });
  } catch (err) {
    if (err instanceof AuthError) return { error: SIGN_IN_FAILED, email };
    throw err;
  }
  return {};
}

export async function signUpWithPassword(_prev: AuthFormState, form: FormData): Promise<AuthFormState> {
  const email = text(form, "email");
  // A new account first picks a few favourites (so home can recommend at once), then goes on.
  const callbackUrl = safeCallbackUrl(form.get("callbackUrl"));
  const redirectTo = callbackUrl === "/" ? "/onboarding" : `/onboarding?${new URLSearchParams({ next: callbackUrl })}`;
  const parsed = signUpSchema.safeParse({ email, password: text(form, "password") });
  if (!parsed.success) return { fieldErrors: zodDetails(parsed.error).fields, email };
  try {
    await signUp(parsed.data, clientIp(await headers()));
  } catch (err) {
    if (err instanceof ApiError && err.code === "rate_limited") return { error: rateLimitedMessage(err), email };
    if (err instanceof ApiError) return { error: err.message, email };
    throw err;
  }
  try {
    // Straight in with the password just set (not counted against the sign-in limit).
    await signIn("credentials", { ...parsed.data, redirectTo });
  } catch (err) {
    if (err instanceof AuthError) return { error: SIGN_UP_FAILED_NO_SESSION, email };
    throw err;
  }
  return {};
}

export async function signInWithProvider(form: FormData): Promise<void> {
  const provider = text(form, "provider");
  const redirectTo = safeCallbackUrl(form.get("callbackUrl"));
  if (!availableOAuthProviders().some((p) => p.id === provider)) return;
  await signIn(provider, { redirectTo });
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/" });
}
