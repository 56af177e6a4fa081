import { buildCustomRoute } from "next/dist/lib/build-custom-route";
import { describe, expect, it } from "vitest";
import nextConfig from "@/next.config";

// next.config.ts's security headers: which rule covers which path, and the API policy's shape.
type Rule = { source: string; headers: { key: string; value: string }[] };

async function rules(): Promise<Rule[]> {
  return (await nextConfig.headers!()) as Rule[];
}

/** The rules whose source matches `path`, by the regex Next builds from each source. */
function matching(all: Rule[], path: string): Rule[] {
  return all.filter((r) => new RegExp(buildCustomRoute("header", r).regex).test(path));
}

describe("security headers (next.config.ts)", () => {
  it("gives every path exactly one rule: pages the full policy, the API its own", async () => {
    const all = await rules();
    for (const path of ["/", "/movies/11", "/docs", "/_next/static/chunks/a.css", "/apiary"]) {
      const [rule, ...rest] = matching(all, path);
      expect(rest, path).toEqual([]);
      expect(rule.headers.find((h) => h.key === "Content-Security-Policy")?.value, path).toContain("https://image.tmdb.org");
    }
    for (const path of ["/api", "/api/ping", "/api/recommend", "/api/posters/11", "/api/auth/session"]) {
      const [rule, ...rest] = matching(all, path);
      expect(rest, path).toEqual([]);
      expect(rule.headers.find((h) => h.key === "Content-Security-Policy")?.value, path).toBe("default-src 'none'; frame-ancestors 'none'");
    }
  });

  it("sends the same non-CSP headers everywhere", async () => {
    const [pages, api] = await rules();
    const others = (r: Rule) => r.headers.filter((h) => h.key !== "Content-Security-Policy");
    expect(others(api)).toEqual(others(pages));
    expect(others(api).map((h) => h.key)).toEqual(["X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options", "Permissions-Policy"]);
  });

  it("keeps ':' out of every header the API rule sends (Next compiles such a value as a pattern on every request)", async () => {
    const api = matching(await rules(), "/api/recommend")[0];
    for (const h of api.headers) expect(h.key + h.value).not.toContain(":");
  });
});
