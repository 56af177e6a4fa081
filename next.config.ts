import type { NextConfig } from "next";

// Security headers for every response. Posters may come from TMDB's image CDN; everything else is
// served by Matinee itself. Next.js injects inline bootstrap scripts, hence 'unsafe-inline' for
// scripts (no third-party script origin is allowed); generated posters are inline SVG data.
const contentSecurityPolicy = [
  "default-src 'self'",
  "img-src 'self' data: blob: https://image.tmdb.org",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self' https://github.com https://accounts.google.com",
  "frame-ancestors 'none'",
].join("; ");

// API responses (JSON, generated SVG posters) load nothing and are never framed: the policy OWASP
// recommends for APIs. It has no ":" in it, which matters for speed: Next compiles a configured
// header value that contains one as a path pattern on every request (18–32 µs of CPU per request
// here, docs/benchmarks.md), so only page requests pay for the page policy's scheme sources.
const apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

const commonHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

const nextConfig: NextConfig = {
  // The container image runs Next's standalone server (`npm run build:standalone`, the Dockerfile);
  // `npm start` and the test servers run `next start`, which warns that it "does not work" on a
  // standalone build (it does: that build is a superset), so a plain `npm run build` makes none.
  output: process.env.MATINEE_STANDALONE === "1" ? "standalone" : undefined,
  serverExternalPackages: ["better-sqlite3", "pg"],
  poweredByHeader: false,
  // forbidden() renders app/forbidden.tsx with a 403 for signed-in non-admins
  experimental: { authInterrupts: true },
  // The seed catalog and migrations are read at run time from process.cwd(); make the
  // standalone output carry them.
  outputFileTracingIncludes: { "/*": ["./drizzle/**/*"] },
  // "/me" is the account's own corner: its pages are /me/account, /me/ratings, ... (it was a 404).
  // Temporary (307), so /me stays free to become a page of its own. Applied before proxy.ts, so a
  // signed-out visitor then goes to sign in and back to /me/account.
  async redirects() {
    return [{ source: "/me", destination: "/me/account", permanent: false }];
  },
  async headers() {
    return [
      { source: "/:path((?!api(?:/|$)).*)", headers: [{ key: "Content-Security-Policy", value: contentSecurityPolicy }, ...commonHeaders] },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: apiContentSecurityPolicy }, ...commonHeaders] },
    ];
  },
};

export default nextConfig;
