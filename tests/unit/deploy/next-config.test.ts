import { afterEach, describe, expect, it, vi } from "vitest";

// The standalone output is for the container image only: `next start` (npm start, the test and
// benchmark servers) warns that it "does not work" with it, so a plain build must not ask for it.
async function loadConfig(standalone: string | undefined) {
  vi.resetModules();
  if (standalone === undefined) delete process.env.MATINEE_STANDALONE;
  else process.env.MATINEE_STANDALONE = standalone;
  return (await import("@/next.config")).default;
}

afterEach(() => {
  delete process.env.MATINEE_STANDALONE;
});

describe("next.config output", () => {
  it("is the standalone server when MATINEE_STANDALONE=1 (the Dockerfile, npm run build:standalone)", async () => {
    expect((await loadConfig("1")).output).toBe("standalone");
  });

  it("is Next's default otherwise, so `next start` serves the build without a warning", async () => {
    expect((await loadConfig(undefined)).output).toBeUndefined();
    expect((await loadConfig("0")).output).toBeUndefined();
  });

  it("traces the migrations and seed catalog into either build", async () => {
    expect((await loadConfig(undefined)).outputFileTracingIncludes).toEqual({ "/*": ["./drizzle/**/*"] });
  });
});

describe("next.config redirects", () => {
  it("sends /me to the account page (was: a 404), temporarily, keeping any query", async () => {
    const redirects = await (await loadConfig(undefined)).redirects!();
    expect(redirects).toContainEqual({ source: "/me", destination: "/me/account", permanent: false });
    // only /me itself: its pages are not redirected
    expect(redirects.filter((r) => r.destination === "/me/account")).toHaveLength(1);
  });
});
