import type { DefaultSession } from "@auth/core/types";
import type { NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getAuthSecret, getEnv } from "@/lib/env";
import { findOrCreateOAuthAccount, revokeSession, sessionVersionOf, verifyCredentials } from "./accounts";
import { clientIp, forgiveSignIn } from "./limits";
import { oauthProviders, verifiedOAuthEmail } from "./oauth";
import type { Role } from "./roles";
import { signInSchema } from "./schemas";
import { logError } from "@/lib/util/log";

// What we keep in the session JWT: our users.id (not the provider's) and the role at sign-in.
declare module "@auth/core/types" {
  interface User {
    role?: Role;
  }
  interface Session {
    user: {
      id: string;
      role: Role;
      /** the account's session version at sign-in (findSessionAccount checks it) */
      sv?: number;
      /** this session's own id, from its sign-in (a signed-out one is refused: findSessionAccount) */
      sid?: string;
    } & Omit<DefaultSession["user"] & object, "id">;
  }
}
declare module "@auth/core/jwt" {
  interface JWT {
    uid?: number;
    role?: Role;
    /** The account's session version at sign-in (users.session_version); absent in tokens from before it. */
    sv?: number;
    /** The session's id, drawn at sign-in and kept as the token is renewed; absent in tokens from before it. */
    sid?: string;
  }
}
// (@auth/core is next-auth's own pinned dependency; its types are where v5 sessions are extended.)

/**
 * The Auth.js configuration, built per request (lazy initialisation) so nothing reads the
 * environment at import time — `next build` imports this module without an AUTH_SECRET.
 */
/**
 * Auth.js errors a client causes by what it sends: a session cookie that does not decrypt (forged,
 * or from before an AUTH_SECRET change), an unknown action, a missing CSRF token or OAuth check
 * cookie, a provider's refusal.
 */
const CLIENT_CAUSED = new Set([
  "JWTSessionError",
  "UnknownAction",
  "MissingCSRF",
  "InvalidCheck",
  "AccessDenied",
  "OAuthCallbackError",
  "OAuthAccountNotLinked",
  "Verification",
  // a provider that is not configured (`/api/auth/signin/github` without GitHub), or a callback
  // the provider's type has none of (`GET /api/auth/callback/credentials`)
  "InvalidProvider",
  "UnsupportedStrategy",
]);

/** How long a session lasts without being used (Auth.js's default, stated: revokeSession relies on it). */
export const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;

/** Auth.js throws a plain Error for a provider id it does not know (`/api/auth/callback/nosuch`). */
const UNKNOWN_PROVIDER = /^Provider with id "/;

export function buildAuthConfig(): NextAuthConfig {
  const env = getEnv();
  return {
    secret: getAuthSecret(),
    trustHost: true, // self-hosted: the Host / X-Forwarded-Host header is the app's own address
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    // Every page Auth.js would render itself (unstyled, and blocked in part by the CSP) is one of
    // the app's: sign-in and its errors on /signin (which says what failed), sign-out on /signout
    // (a button for the header's sign-out action). verify-request would say an email link was
    // sent, but there is no email provider: /signin.
    pages: { signIn: "/signin", error: "/signin", signOut: "/signout", verifyRequest: "/signin" },
    providers: [
      Credentials({
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        // Rate limiting happens before this is reached (lib/auth/route-handlers.ts, lib/auth/actions.ts).
        async authorize(credentials, request) {
          const parsed = signInSchema.safeParse(credentials);
          if (!parsed.success) return null;
          const account = await verifyCredentials(parsed.data);
          // The right password: this attempt does not count against the sign-in limit.
          if (account) await forgiveSignIn(parsed.data.email, clientIp(request.headers));
          return account && { id: String(account.id), email: account.email, name: account.name, role: account.role };
        },
      }),
      ...oauthProviders(env),
    ],
    callbacks: {
      async signIn({ account, profile, user }) {
        if (!account || account.type === "credentials") return true;
        return (await verifiedOAuthEmail(account, profile, user.email)) !== null;
      },
      async jwt({ token, user, account }) {
        if (!account) return token; // a later request: the token as issued at sign-in
        if (account.type !== "credentials" && !user.email) throw new Error("OAuth sign-in without an email");
        const signedIn =
          account.type === "credentials"
            ? { id: Number(user.id), role: user.role ?? "user" }
            : await findOrCreateOAuthAccount({ email: user.email!, name: user.name });
        token.sub = String(signedIn.id);
        token.uid = signedIn.id;
        token.role = signedIn.role;
        token.sv = (await sessionVersionOf(signedIn.id)) ?? 0;
        token.sid = crypto.randomUUID();
        return token;
      },
      session({ session, token }) {
        // Only ids: the account itself is read fresh from the database (getSessionUser), which is
        // also where a session from before a password change is refused (findSessionAccount); no
        // email or name for whoever holds a cookie to read from /api/auth/session.
        session.user = { id: String(token.uid ?? ""), role: token.role ?? "user", sv: token.sv ?? 0, sid: token.sid } as typeof session.user;
        return session;
      },
    },
    events: {
      // Signing out clears this browser's cookie; recording the session as signed out also ends
      // any copy of it (another tab's, a stolen one). The cookie is renewed as it is used, each
      // time for the full maxAge, so no copy outlives now + maxAge. A failure here is logged by
      // Auth.js and the cookie is still cleared.
      async signOut(message) {
        const token = "token" in message ? message.token : null;
        const id = Number(token?.uid);
        if (token && Number.isSafeInteger(id) && id > 0) await revokeSession({ id, sid: token.sid }, Date.now() + SESSION_MAX_AGE_S * 1000);
      },
    },
    logger: {
      error(error) {
        const type = (error as { type?: string }).type;
        // A wrong password is an expected outcome, not a server error.
        if (type === "CredentialsSignin") return;
        // What a client's own request causes gets one line, not a stack trace: anyone can send a
        // forged session cookie or an unknown action on every request.
        if ((type !== undefined && CLIENT_CAUSED.has(type)) || UNKNOWN_PROVIDER.test(error.message)) {
          // (the message may echo the request's path: one line, bounded)
          console.warn(`[auth] ${type ?? "InvalidProvider"}: ${error.message.split("\n")[0].slice(0, 200)}`);
          return;
        }
        logError("[auth]", error);
      },
    },
  };
}
