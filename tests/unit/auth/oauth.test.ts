import { describe, expect, it, vi } from "vitest";
import { enabledOAuthProviders, verifiedOAuthEmail } from "@/lib/auth/oauth";
import { parseEnv } from "@/lib/env";

describe("OAuth providers", () => {
  it("are enabled only when both id and secret are set", () => {
    expect(enabledOAuthProviders(parseEnv({}))).toEqual([]);
    expect(enabledOAuthProviders(parseEnv({ AUTH_GITHUB_ID: "id", AUTH_GITHUB_SECRET: "" }))).toEqual([]);
    expect(
      enabledOAuthProviders(parseEnv({ AUTH_GITHUB_ID: "id", AUTH_GITHUB_SECRET: "s", AUTH_GOOGLE_ID: "g", AUTH_GOOGLE_SECRET: "s" })).map((p) => p.id),
    ).toEqual(["github", "google"]);
  });
});

describe("verifiedOAuthEmail (accounts are linked by email, so it must be verified)", () => {
  it("trusts Google only with email_verified", async () => {
    const google = { provider: "google", access_token: "t" };
    expect(await verifiedOAuthEmail(google, { email_verified: true }, "Ada@Example.com")).toBe("ada@example.com");
    expect(await verifiedOAuthEmail(google, { email_verified: false }, "ada@example.com")).toBeNull();
    expect(await verifiedOAuthEmail(google, {}, "ada@example.com")).toBeNull();
  });

  it("asks GitHub whether the address is verified", async () => {
    const github = { provider: "github", access_token: "token" };
    const emails = [
      { email: "ada@example.com", verified: true, primary: true },
      { email: "old@example.com", verified: false, primary: false },
    ];
    const fetchImpl = vi.fn(async () => Response.json(emails));
    expect(await verifiedOAuthEmail(github, {}, "ada@example.com", fetchImpl)).toBe("ada@example.com");
    expect(await verifiedOAuthEmail(github, {}, "old@example.com", fetchImpl)).toBeNull();
    expect(fetchImpl).toHaveBeenCalledWith("https://api.github.com/user/emails", expect.objectContaining({ headers: expect.objectContaining({ authorization: "Bearer token" }) }));
    expect(await verifiedOAuthEmail(github, {}, "ada@example.com", async () => new Response("", { status: 403 }))).toBeNull();
  });

  it("refuses sign-ins without an email", async () => {
    expect(await verifiedOAuthEmail({ provider: "google", access_token: "t" }, { email_verified: true }, null)).toBeNull();
  });
});

describe("verifiedOAuthEmail when GitHub is unreachable", () => {
  it("refuses rather than linking an unchecked address", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const down = async () => {
      throw new TypeError("fetch failed");
    };
    expect(await verifiedOAuthEmail({ provider: "github", access_token: "t" }, {}, "ada@example.com", down)).toBeNull();
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });
});
