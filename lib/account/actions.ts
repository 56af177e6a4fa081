"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getSessionUser } from "@/lib/auth";
import { limitPasswordCheck } from "@/lib/auth/limits";
import { tooManyAttemptsMessage } from "@/lib/auth/messages";
import { signIn, signOut } from "@/lib/auth/next-auth";
import { newPasswordSchema } from "@/lib/auth/schemas";
import { MAX_PASSWORD_LENGTH } from "@/lib/auth/constants";
import { ApiError, zodDetails } from "@/lib/http/errors";
import { ACCOUNT_DELETED_COOKIE, ACCOUNT_DELETED_COOKIE_MAX_AGE_S, ACCOUNT_DELETED_PATH, ENTER_CURRENT_PASSWORD, ENTER_EMAIL, ENTER_NEW_PASSWORD, ENTER_PASSWORD, NOT_THIS_EMAIL, SAME_PASSWORD } from "./messages";
import { changePassword, checkCurrentPassword, deleteAccount, signOutEverywhere, WRONG_PASSWORD } from "./settings";

// Server actions behind the account page's forms (app/(account)/me/account).

export type AccountFormState = {
  error?: string;
  fieldErrors?: Record<string, string[]>;
  /** What worked, said once ("Password changed."). */
  done?: string;
};

const SIGNED_OUT = "Your session has ended. Sign in again to manage your account.";

const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, ENTER_CURRENT_PASSWORD).max(MAX_PASSWORD_LENGTH),
    // an empty field is asked for, not measured against the rules (or against the current password)
    newPassword: z.string().min(1, ENTER_NEW_PASSWORD).pipe(newPasswordSchema),
  })
  // only once both fields are otherwise fine: two empty fields are not "the same password"
  .refine((v) => v.newPassword !== v.currentPassword, { path: ["newPassword"], message: SAME_PASSWORD, when: (payload) => payload.issues.length === 0 });

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

/** An ApiError the forms show: a rate limit as minutes, others by their message and field errors. */
function failure(err: unknown): AccountFormState {
  if (!(err instanceof ApiError)) throw err;
  if (err.code === "rate_limited") return { error: tooManyAttemptsMessage((err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 60) };
  const fields = (err.details as { fields?: Record<string, string[]> } | undefined)?.fields;
  return fields ? { fieldErrors: fields } : { error: err.message };
}

export async function changePasswordAction(_prev: AccountFormState, form: FormData): Promise<AccountFormState> {
  const user = await getSessionUser();
  if (!user) return { error: SIGNED_OUT };
  const parsed = changePasswordSchema.safeParse({ currentPassword: text(form, "currentPassword"), newPassword: text(form, "newPassword") });
  if (!parsed.success) return { fieldErrors: zodDetails(parsed.error).fields };
  try {
    await limitPasswordCheck(user.id);
    await changePassword(user.id, parsed.data);
  } catch (err) {
    // the service's field message is the API's wording; the form says it plainly
    if (err instanceof ApiError && err.message === WRONG_PASSWORD) return { fieldErrors: { currentPassword: [WRONG_PASSWORD] } };
    return failure(err);
  }
  // The change signed out every session of the account, this one too: sign it in again with the
  // new password (a new session cookie), so only the other devices are signed out.
  try {
    await signIn("credentials", { email: user.email, password: parsed.data.newPassword, redirect: false });
  } catch {
    return { done: "Password changed. Sign in again with the new one." };
  }
  // The new cookie re-renders the page, which would start the form afresh and lose a returned
  // message: the page says it (PASSWORD_CHANGED) when it comes back with ?password=changed.
  redirect("/me/account?password=changed");
}

/** Where signing out of every device lands: the sign-in page, which says so (SIGNED_OUT_EVERYWHERE). */
const SIGNED_OUT_EVERYWHERE_URL = "/signin?signedOut=everywhere";

/**
 * Sign the account out on every device, this one included (a stolen or forgotten session cookie
 * stops working at once, on every app instance), and go to sign-in, which says so.
 */
export async function signOutEverywhereAction(_prev: AccountFormState, _form: FormData): Promise<AccountFormState> {
  const user = await getSessionUser();
  if (!user) return { error: SIGNED_OUT };
  try {
    await signOutEverywhere(user.id);
  } catch (err) {
    return failure(err);
  }
  // throws Next's redirect: this device's cookie is cleared too
  await signOut({ redirectTo: SIGNED_OUT_EVERYWHERE_URL });
  return {};
}

/**
 * Delete the signed-in account after it is confirmed: its password, or for an account without
 * one (GitHub / Google) its email typed out. Signs out and goes home, which says so.
 */
export async function deleteAccountAction(_prev: AccountFormState, form: FormData): Promise<AccountFormState> {
  const user = await getSessionUser();
  if (!user) return { error: SIGNED_OUT };
  try {
    await limitPasswordCheck(user.id);
    const password = text(form, "password");
    const check = await checkCurrentPassword(user.id, password.slice(0, MAX_PASSWORD_LENGTH + 1));
    if (check === "wrong") return { fieldErrors: { password: [password ? WRONG_PASSWORD : ENTER_PASSWORD] } };
    if (check === "none" && text(form, "email").trim().toLowerCase() !== user.email) {
      return { fieldErrors: { email: [text(form, "email").trim() ? NOT_THIS_EMAIL : ENTER_EMAIL] } };
    }
    await deleteAccount(user.id);
  } catch (err) {
    return failure(err);
  }
  // home says so to this browser only (a link to it says nothing to anyone else)
  (await cookies()).set(ACCOUNT_DELETED_COOKIE, "1", { maxAge: ACCOUNT_DELETED_COOKIE_MAX_AGE_S, httpOnly: true, sameSite: "lax", path: "/" });
  // throws Next's redirect: the session cookie is cleared and the browser goes home
  await signOut({ redirectTo: ACCOUNT_DELETED_PATH });
  return {};
}
