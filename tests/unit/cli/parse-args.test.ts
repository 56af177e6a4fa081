import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CliError, parseCliArgs } from "@/lib/cli";

const options = { users: { type: "string" }, json: { type: "boolean" } } as const;
const schema = z.object({ users: z.coerce.number().int().min(1).optional(), json: z.boolean().optional() });

/** The first line of the CliError parseCliArgs throws (the usage follows a blank line). */
function errorLine(argv: string[]): string {
  try {
    parseCliArgs(argv, options, schema, "usage: test");
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(2);
    return (err as CliError).message.split("\n\n")[0];
  }
  throw new Error(`parseCliArgs accepted ${JSON.stringify(argv)}`);
}

describe("parseCliArgs errors", () => {
  it("a negative number after a flag is that flag's value, refused in the schema's words as --users=-5 is (was node's 'argument is ambiguous' hint)", () => {
    expect(errorLine(["--users", "-5"])).toBe("invalid arguments: --users: must be at least 1");
    expect(errorLine(["--users", "-0.5"])).toBe(errorLine(["--users=-0.5"]));
  });

  it("anything else after a flag that starts with a dash is node's hint, as one readable line, without escape codes", () => {
    const line = errorLine(["--users", "-x"]);
    expect(line).toBe(
      "Option '--users' argument is ambiguous. Did you forget to specify the option argument for '--users'? To specify an option argument starting with a dash use '--users=-XYZ'.",
    );
    expect(line).not.toMatch(/\\u00/);
  });

  it("still escapes control characters that come from argv", () => {
    expect(errorLine(["--us\ners"])).toBe("Unknown option '--us\\u000aers'");
    expect(errorLine(["--json=a\nb"])).toBe("Option '--json' does not take an argument");
  });
});
