import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { ApiError } from "@/lib/http/errors";
import { findSessionAccount, type SessionUser } from "./accounts";
import { signInPath } from "./paths";
import { readSessionClaims } from "./session";

/**
 * The signed-in account, read fresh from the database (so a role change, a deleted account or a
 * sign-out elsewhere takes effect at once), or null. One read per request: cached per request,
 * so the header and the page share it.
 */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const claims = await readSessionClaims();
  return claims === null ? null : findSessionAccount(claims);
});

/** For handlers: the signed-in account, or ApiError `unauthorized` (401). */
export async function requireUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) throw new ApiError("unauthorized", "Sign in to continue.");
  return user;
}

/** For handlers: an admin account; 401 when signed out, 403 for other accounts. */
export async function requireAdmin(): Promise<SessionUser> {
  const user = await requireUser();
  if (user.role !== "admin") throw new ApiError("forbidden", "Only admins can do that.");
  return user;
}

/** For pages: the signed-in account, or a redirect to sign in and come back to `callbackUrl`. */
export async function requireUserPage(callbackUrl: string): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect(signInPath(callbackUrl));
  return user;
}

/**
 * For admin pages: signed-out visitors go to sign in (and come back); signed-in non-admins get
 * the 403 page via `forbidden()` (needs `experimental.authInterrupts` and app/forbidden.tsx).
 */
export async function requireAdminPage(callbackUrl: string): Promise<SessionUser> {
  const user = await requireUserPage(callbackUrl);
  if (user.role !== "admin") forbidden();
  return user;
}
