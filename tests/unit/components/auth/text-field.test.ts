import { describe, expect, it } from "vitest";
import { TextField } from "@/components/auth/text-field";
import { findElement } from "../../../helpers/react-tree";

// The sign-up form's field errors are the API's wording ("must be at least 8 characters"), shown
// as a sentence naming the field.
describe("TextField", () => {
  it("shows a field's messages as a sentence that names it, wired to the input", () => {
    const tree = TextField({ name: "password", label: "Password", errors: ["must be at least 8 characters"] });
    const error = findElement(tree, (el) => (el.props as { id?: string }).id === "field-password-error");
    expect((error?.props as { children?: unknown }).children).toBe("Password must be at least 8 characters.");
    const input = findElement(tree, (el) => el.type === "input");
    expect(input?.props).toMatchObject({ "aria-invalid": true, "aria-describedby": "field-password-error" });
  });
});
