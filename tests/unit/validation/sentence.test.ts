import { describe, expect, it } from "vitest";
import { fieldSentence } from "@/lib/validation/sentence";

// A form shows the API's field messages ("must be at least 8 characters") next to the field, as a
// sentence that names it (the sign-up form said "Use at least 8 characters" from its own wording).
describe("fieldSentence", () => {
  it("names the field and ends the sentence", () => {
    expect(fieldSentence("Password", ["must be at least 8 characters"])).toBe("Password must be at least 8 characters.");
  });

  it("joins two messages for one field", () => {
    expect(fieldSentence("Email", ["must be at most 254 characters", "must be an email address"])).toBe("Email must be at most 254 characters and must be an email address.");
  });

  it("shows a form's own sentence for a field as it is, after any rule naming the field", () => {
    // was: "Current password must be your current password."
    expect(fieldSentence("Current password", ["That is not your current password."])).toBe("That is not your current password.");
    expect(fieldSentence("New password", ["must be at least 8 characters", "Enter a new password."])).toBe("New password must be at least 8 characters. Enter a new password.");
  });
});
