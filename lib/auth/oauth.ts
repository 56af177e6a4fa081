import type { Account, Profile } from "next-auth";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { getEnv, type Env } from "@/lib/env";
import { logError } from "@/lib/util/log";

export type OAuthProviderId = "github" | "google";
export type OAuthProviderInfo = { id: OAuthProviderId; name: string };

/** The OAuth providers whose client id and secret are both configured. */
export function enabledOAuthProviders(env: Env): OAuthProviderInfo[] {
  const list: OAuthProviderInfo[] = [];
  if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET) list.push({ id: "github", name: "GitHub" });
  if (env.AUTH_GOOGLE_ID && env.AUTH_GOOGLE_SECRET) list.push({ id: "google", name: "Google" });
  return list;
}

/** The configured OAuth providers, for the sign-in buttons. */
export function availableOAuthProviders(): OAuthProviderInfo[] {
  return enabledOAuthProviders(getEnv());
}

export function oauthProviders(env: Env) {
  return enabledOAuthProviders(env).map((p) =>
    p.id === "github"
      ? GitHub({ clientId: env.AUTH_GITHUB_ID, clientSecret: env.AUTH_GITHUB_SECRET })
      : Google({ clientId: env.AUTH_GOOGLE_ID, clientSecret: env.AUTH_GOOGLE_SECRET }),
  );
}

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * The provider's email for this sign-in if the provider vouches that the person controls it, else
 * null. Accounts are linked by email, so an unverified address must never get in: it would let
 * someone sign in to another person's password account.
 * - Google: the ID token's `email_verified`.
 * - GitHub: the address must be listed as verified in /user/emails (the profile alone does not say).
 */
export async function verifiedOAuthEmail(
  account: Pick<Account, "provider" | "access_token">,
  profile: Profile | undefined,
  email: string | null | undefined,
  fetchImpl: Fetch = fetch,
): Promise<string | null> {
  if (!email) return null;
  const wanted = email.trim().toLowerCase();
  if (account.provider === "google") return profile?.email_verified === true ? wanted : null;
  if (account.provider === "github") {
    if (!account.access_token) return null;
    try {
      const res = await fetchImpl("https://api.github.com/user/emails", {
        headers: { authorization: `Bearer ${account.access_token}`, accept: "application/vnd.github+json", "user-agent": "matinee" },
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) return null;
      const emails: unknown = await res.json();
      const verified = Array.isArray(emails) && emails.some((e) => typeof e?.email === "string" && e.email.toLowerCase() === wanted && e.verified === true);
      return verified ? wanted : null;
    } catch (err) {
      logError("[auth] could not check the GitHub email", err);
      return null; // can't tell: refuse rather than link an unverified address
    }
  }
  return null;
}
