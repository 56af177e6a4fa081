import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isUniqueViolation } from "@/lib/db/errors";
import { insertExperiment } from "@/lib/experiments/queries";
import { useTempDb } from "../../helpers/temp-db";

// The partial unique index lets one experiment run at a time; a second insert must be recognised
// as a unique violation on whichever database the project runs (drizzle wraps the driver error).
let tmp: ReturnType<typeof useTempDb>;
beforeAll(() => {
  tmp = useTempDb();
});
afterAll(() => tmp.cleanup());

const running = (name: string) =>
  insertExperiment({ name, primaryMetric: "ctr", arms: [{ key: "A", versionId: 1, weight: 50 }, { key: "B", versionId: 2, weight: 50 }], createdBy: null, createdByLabel: "test" });

describe("isUniqueViolation", () => {
  it("recognises the database's own unique-constraint error through drizzle's wrapper", async () => {
    await running("first");
    const err = await running("second").then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(isUniqueViolation(err)).toBe(true);
  });

  it("is false for other failures", () => {
    expect(isUniqueViolation(new Error("boom"))).toBe(false);
    expect(isUniqueViolation(Object.assign(new Error("fk"), { code: "SQLITE_CONSTRAINT_FOREIGNKEY" }))).toBe(false);
    expect(isUniqueViolation(new Error("wrapped", { cause: Object.assign(new Error("pg"), { code: "23503" }) }))).toBe(false);
    expect(isUniqueViolation("23505")).toBe(false);
  });
});
