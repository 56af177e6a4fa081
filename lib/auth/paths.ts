// Addresses of the auth pages, for server pages and browser components alike (no server imports).

/** `/signin?callbackUrl=<path>`: the sign-in page, returning to `callbackUrl` afterwards. */
export function signInPath(callbackUrl?: string): string {
  return callbackUrl ? `/signin?${new URLSearchParams({ callbackUrl })}` : "/signin";
}
