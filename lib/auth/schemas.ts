import { z } from "zod";
import { isCommonPassword } from "./common-passwords";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./constants";

/** The field messages for a password refused by newPasswordSchema beyond its length (the API's wording: "must ..."). */
export const PASSWORD_ONLY_SPACES = "must not be only spaces";
export const PASSWORD_TOO_COMMON = "must not be one of the most common passwords";

/** Trimmed and lower-cased: one account per address however it is typed. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "is required") // (was: "must be an email address" for an empty field)
  .max(254)
  // the JSON Schema of the input side, which OpenAPI shows: the pipe's check is z.email's
  .meta({ format: "email", description: "An email address (trimmed and lower-cased: one account per address)" })
  .pipe(z.email("must be an email address"));

/**
 * A password being chosen (sign-up, changing it): 8–200 characters, not only spaces, and not one of
 * the most common passwords. No composition rules. A length failure stops there, so ten spaces
 * hear about the spaces and three spaces only about the length.
 */
export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, { abort: true })
  .max(MAX_PASSWORD_LENGTH, { abort: true })
  .refine((v) => v.trim() !== "", PASSWORD_ONLY_SPACES)
  .refine((v) => !isCommonPassword(v), PASSWORD_TOO_COMMON)
  .meta({ description: `${MIN_PASSWORD_LENGTH}–${MAX_PASSWORD_LENGTH} characters, not only spaces, and not one of the most common passwords ("password", "12345678", ...)` });

export const signUpSchema = z.strictObject({ email: emailSchema, password: newPasswordSchema });
export type SignUpInput = z.infer<typeof signUpSchema>;

// Sign-in only checks shape; any mismatch gets the same generic message as a wrong password.
export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
});
export type SignInInput = z.infer<typeof signInSchema>;

/**
 * Where to go after signing in: a same-site path only ("/movies/1"), never another origin
 * ("//evil.example", "https://...", "/\\evil") — an open redirect would make phishing easy.
 */
export function safeCallbackUrl(raw: unknown, fallback = "/"): string {
  if (typeof raw !== "string" || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return fallback;
  if (/[\u0000-\u001f\\]/.test(raw)) return fallback;
  try {
    const url = new URL(raw, "http://matinee.invalid");
    if (url.origin !== "http://matinee.invalid") return fallback;
    // Back to the sign-in form after signing in would loop.
    if (/^\/(signin|signup)\/?$/.test(url.pathname)) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}

/**
 * Where to come back to after signing in, for a page that needs it: the page asked for (the path and
 * query proxy.ts passes on, e.g. `/admin/runs?compare=3,5`) when `safeCallbackUrl` keeps it and its
 * path lies within `area` (tested on the path and query as kept), else `fallback`.
 */
function requestedCallbackUrl(requested: string | null | undefined, area: RegExp, fallback: string): string {
  const path = safeCallbackUrl(requested, "");
  return path && area.test(path) ? path : fallback;
}

/** app/admin/layout.tsx: an admin page, with its query (`/admin/runs?compare=3,5`), else `/admin`. */
export function adminCallbackUrl(requested: string | null | undefined): string {
  return requestedCallbackUrl(requested, /^\/admin(\/[\w-]+)*(\?|$)/, "/admin");
}

/** app/(account)/layout.tsx: `/me/<page>` or `/onboarding`, with its query, else `/`. */
export function accountCallbackUrl(requested: string | null | undefined): string {
  return requestedCallbackUrl(requested, /^\/(me\/[\w-]+|onboarding)(\?|$)/, "/");
}
