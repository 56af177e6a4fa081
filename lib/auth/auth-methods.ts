// The methods each Auth.js action is served with under /api/auth. Auth.js itself takes any action
// with GET or POST and answers the pair it has no use for with a redirect to its error page
// (`POST /api/auth/csrf` → `/signin?error=Configuration`, a misleading reason); here such a pair
// is a 405 with the error body and an `Allow` header, as every other API route answers.

export type AuthMethod = "GET" | "POST";

const ACTIONS: Record<string, readonly AuthMethod[]> = {
  csrf: ["GET"],
  providers: ["GET"],
  // POST: a session update (Auth.js's own client's; the app makes none)
  session: ["GET", "POST"],
  // GET: a redirect to the app's own page; POST: the action itself
  signin: ["GET", "POST"],
  signout: ["GET", "POST"],
  // OAuth answers come back with GET, or with POST (a provider's form_post)
  callback: ["GET", "POST"],
  error: ["GET"],
  "verify-request": ["GET"],
};

/**
 * The methods the Auth.js action at `pathname` (under `base`) is served with, or null for a path
 * that names no action (Auth.js answers it: 400). Empty segments are dropped, as Auth.js drops them.
 */
export function authActionMethods(pathname: string, base: string): readonly AuthMethod[] | null {
  if (!pathname.startsWith(base)) return null;
  const [action, provider] = pathname.slice(base.length).split("/").filter(Boolean);
  if (action === undefined || !Object.hasOwn(ACTIONS, action)) return null;
  // the password sign-in is a form's POST only; GET is for OAuth providers' answers
  if (action === "callback" && provider === "credentials") return ["POST"];
  return ACTIONS[action];
}

/** The `Allow` header for those methods, as every API route writes it (otherMethods): HEAD with GET, and OPTIONS. */
export function allowHeader(methods: readonly AuthMethod[]): string {
  return [...methods, ...(methods.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
}
