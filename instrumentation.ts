// Runs once when the server starts (next start, the standalone server.js). On the Node.js runtime,
// check the environment first: an invalid variable, a DATABASE_PATH SQLite cannot use (a mistyped
// folder), or a production server without AUTH_SECRET (whose every sign-in would fail with a 500
// while it reported itself healthy) stops the server with one line (lib/env.ts).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { checkEnvAtStartup, getAuthSecret } = await import("@/lib/env");
  const { checkDatabaseLocation } = await import("@/lib/db/client");
  // (a build has no secrets to check: only a server needs AUTH_SECRET)
  const serving = process.env.NEXT_PHASE !== "phase-production-build";
  checkEnvAtStartup(undefined, checkDatabaseLocation, ...(serving ? [() => void getAuthSecret()] : []));
  // TRACE and the request target "*" get an answer instead of Next's bare 500
  const { installEarlyRefusals } = await import("@/lib/http/early-refusals");
  installEarlyRefusals();
}
