import { afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { clientIp } from "@/lib/ratelimit";

// Which X-Forwarded-For entry is the client, for the rate limits (docs/auth.md#rate-limits).

const ip = (xff?: string, realIp?: string) => clientIp(new Headers({ ...(xff !== undefined ? { "x-forwarded-for": xff } : {}), ...(realIp ? { "x-real-ip": realIp } : {}) }));

afterEach(() => {
  delete process.env.TRUSTED_PROXIES;
  resetEnvForTests();
});

describe("clientIp", () => {
  it("takes the first entry by default (a proxy in front overwrites the header)", () => {
    expect(ip("203.0.113.7")).toBe("203.0.113.7");
    expect(ip(" 203.0.113.7 , 10.0.0.1")).toBe("203.0.113.7");
    expect(ip(undefined, "198.51.100.2")).toBe("198.51.100.2");
    expect(ip()).toBe("unknown");
  });

  it("with TRUSTED_PROXIES=N, takes the Nth entry from the right, so a client's own header changes nothing", () => {
    process.env.TRUSTED_PROXIES = "1";
    resetEnvForTests();
    // an ALB appends the address it saw: a forged first entry is not the client (was: a fresh
    // forged address per request walked past the limit)
    for (let i = 0; i < 3; i++) expect(ip(`10.9.9.${i}, 203.0.113.7`)).toBe("203.0.113.7");
    expect(ip("203.0.113.7")).toBe("203.0.113.7");
    process.env.TRUSTED_PROXIES = "2";
    resetEnvForTests();
    expect(ip("forged, 203.0.113.7, 10.0.0.5")).toBe("203.0.113.7");
    // fewer entries than proxies (a misconfiguration): the leftmost, not nothing
    expect(ip("203.0.113.7")).toBe("203.0.113.7");
  });

  it("refuses a TRUSTED_PROXIES that is not a small positive whole number", () => {
    for (const bad of ["0", "-1", "1.5", "eleven", "11"]) {
      process.env.TRUSTED_PROXIES = bad;
      resetEnvForTests();
      expect(() => ip("203.0.113.7"), bad).toThrow(/TRUSTED_PROXIES/);
    }
  });
});
