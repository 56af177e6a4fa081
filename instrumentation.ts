// Runs once when the server starts (next start, the standalone server.js). On the Node.js runtime,
// check the environment first: an invalid variable stops the server with one line (lib/env.ts).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { checkEnvAtStartup } = await import("@/lib/env");
  checkEnvAtStartup();
}
