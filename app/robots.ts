import type { MetadataRoute } from "next";

// Crawlers may read the catalog pages; the API (personal and rate-limited), the admin pages and a
// visitor's own pages are not for indexing.
export default function robots(): MetadataRoute.Robots {
  return { rules: { userAgent: "*", allow: "/", disallow: ["/api/", "/admin", "/me/", "/onboarding", "/signin", "/signup"] } };
}
