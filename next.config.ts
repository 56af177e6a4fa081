import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  output: "standalone",
  serverExternalPackages: ["better-sqlite3"],
  poweredByHeader: false,
  // forbidden() renders app/forbidden.tsx with a 403 for signed-in non-admins
  experimental: { authInterrupts: true },
  // The seed catalog and migrations are read at run time from process.cwd(); make the
  // standalone output carry them.
  outputFileTracingIncludes: { "/*": ["./drizzle/**/*"] },
};

export default nextConfig;
