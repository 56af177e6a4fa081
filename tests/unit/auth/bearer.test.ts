import { describe, expect, it } from "vitest";
import { isBearerAuthorization } from "@/lib/auth/bearer";
import { refuseCrossSiteSession } from "@/lib/auth/origin";

describe("isBearerAuthorization", () => {
  it("takes the Bearer scheme in any case, with or without a token", () => {
    for (const h of ["Bearer mk_abc", "bearer mk_abc", "BEARER\tmk_abc", "Bearer", "Bearer "]) expect(isBearerAuthorization(h), h).toBe(true);
  });

  it("leaves other schemes and lookalikes alone", () => {
    for (const h of [null, "", "Basic dXNlcjpwYXNz", "Bearerx mk_abc", " Bearer mk_abc", "Token mk_abc"]) expect(isBearerAuthorization(h), String(h)).toBe(false);
  });
});

describe("the cross-site check agrees with the caller lookup on what a key request is", () => {
  const post = (authorization: string) =>
    new Request("http://localhost:3000/api/interactions", {
      method: "POST",
      headers: { origin: "https://evil.example", cookie: "authjs.session-token=abc", authorization },
    });

  it("leaves a bare `Bearer` to the key check (401 there), as it does a `Bearer <key>`", () => {
    expect(() => refuseCrossSiteSession(post("Bearer"))).not.toThrow();
    expect(() => refuseCrossSiteSession(post("Bearer mk_x"))).not.toThrow();
  });

  it("still refuses another site's cookie-carrying request with a Basic header", () => {
    expect(() => refuseCrossSiteSession(post("Basic dXNlcjpwYXNz"))).toThrow(/another site|cross-site|Send it from the app/i);
  });
});
