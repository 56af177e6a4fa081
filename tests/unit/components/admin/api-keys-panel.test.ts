import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { copyKey, shownCreatedKey } from "@/components/admin/api-keys-panel";
import { StatusBadge } from "@/components/admin/status-badge";

// /admin/api-keys: the banner with a just-created key, and its Copy button.

const created = { id: 7, name: "Partner", key: "mk_secret" };

describe("the created-key banner", () => {
  it("stays while the key is active and goes once that key is revoked", () => {
    // was: the full key stayed on screen, "Copy it now", after it had been revoked
    expect(shownCreatedKey(created, [{ id: 7, revokedAt: null }])).toBe(created);
    expect(shownCreatedKey(created, [{ id: 6, revokedAt: 1 }, { id: 7, revokedAt: null }])).toBe(created);
    expect(shownCreatedKey(created, [{ id: 7, revokedAt: Date.UTC(2026, 0, 1) }])).toBeNull();
    expect(shownCreatedKey(null, [])).toBeNull();
  });
});

describe("Copy", () => {
  it("copies where the page has the clipboard", async () => {
    const writeText = vi.fn(async () => {});
    expect(await copyKey("mk_secret", { writeText })).toBe("copied");
    expect(writeText).toHaveBeenCalledWith("mk_secret");
  });

  it("asks for a manual copy without the clipboard (http on a LAN address) or when the browser refuses", async () => {
    // was: nothing at all happened
    expect(await copyKey("mk_secret", undefined)).toBe("select");
    expect(await copyKey("mk_secret", { writeText: async () => Promise.reject(new DOMException("denied", "NotAllowedError")) })).toBe("select");
  });
});

describe("status pills", () => {
  it("never wrap (a revoked key's 'revoked <date>' was a four-line blob on a phone)", () => {
    expect(renderToStaticMarkup(createElement(StatusBadge, { status: "cancelled", label: "revoked 2026-01-01 10:00 UTC" }))).toContain("whitespace-nowrap");
  });
});
