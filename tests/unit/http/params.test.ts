import { describe, expect, it } from "vitest";
import { intParam, textParam } from "@/lib/http/params";

describe("intParam", () => {
  const userId = intParam(1, 2_147_483_647);
  const messages = (value: string) => {
    const r = userId.safeParse(value);
    return r.success ? r.data : r.error.issues.map((i) => i.message);
  };

  it("reads plain digits within its bounds", () => {
    expect(messages("42")).toBe(42);
    expect(messages("2147483647")).toBe(2_147_483_647);
  });

  it("says which bound a number breaks, however many digits it has", () => {
    expect(messages("0")).toEqual(["must be at least 1"]);
    expect(messages("2147483648")).toEqual(["must be at most 2147483647"]);
    expect(messages("99999999999")).toEqual(["must be at most 2147483647"]); // was "must be a whole number written in digits"
    expect(messages("9".repeat(400))).toEqual(["must be at most 2147483647"]);
  });

  it("keeps one message for what is not a number", () => {
    for (const bad of ["", "abc", "1.5", "1e3", "-1", "+1", "0x10", " 7", "07"]) {
      expect(messages(bad), bad).toEqual(["must be a whole number written in digits"]);
    }
  });
});

describe("textParam", () => {
  const query = textParam(100);

  it("takes text in any script, with accents, emoji and joiners", () => {
    for (const ok of ["Amélie", "千と千尋の神隠し", "نادر و سیمین", "Léon: The Professional", "👩‍👩‍👧 family", "  Heat  "]) {
      expect(query.safeParse(ok).success, ok).toBe(true);
    }
  });

  it("refuses control, broken, private-use and reordering characters, and zero-width-only text", () => {
    const bad = ["a\u0000b", "\u0007", "bad\ufffd", "a\ud800b", "\udc00", "\u202eevil", "x\u2066y", "\u200b", "\ufeff", "\uffff", "\ufdd0", "\ue000", "\u{10ffff}", "   "];
    for (const text of bad) expect(query.safeParse(text).success, JSON.stringify(text)).toBe(false);
  });
});
