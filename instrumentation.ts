// Runs once when the server starts (next start, the standalone server.js). On the Node.js runtime,
// check the environment first: an invalid variable, or a DATABASE_PATH SQLite cannot use (a
// mistyped folder), stops the server with one line (lib/env.ts).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { checkEnvAtStartup } = await import("@/lib/env");
  const { checkDatabaseLocation } = await import("@/lib/db/client");
  checkEnvAtStartup(undefined, checkDatabaseLocation);
  // TRACE and the request target "*" get an answer instead of Next's bare 500
  const { installEarlyRefusals } = await import("@/lib/http/early-refusals");
  installEarlyRefusals();
}
