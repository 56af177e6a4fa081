import { describe, expect, it } from "vitest";
import { experimentErrors, withoutArm } from "@/components/admin/experiment-form";

// What the Start-an-experiment form says when POST /api/admin/experiments refuses it.

describe("experimentErrors", () => {
  it("says a field error as a sentence naming the field, by the field, without the generic message", () => {
    // was: "Invalid request body name: must not be empty"
    const e = experimentErrors("Invalid request body", { name: ["must not be empty"] });
    expect(e.name).toBe("The name must not be empty.");
    expect(e.form).toBeUndefined();
  });

  it("says the arms' rules in the form's words", () => {
    const e = experimentErrors("Invalid request body", {
      arms: ["must have weights that add up to 100 (percent of users)", "must each serve a different version"],
    });
    expect(e.arms).toBe("The traffic shares must add up to 100%. Each arm must serve a different version.");
    expect(experimentErrors("Invalid request body", { arms: ["must have at least 2 arms"] }).arms).toBe("An experiment must have at least 2 arms.");
  });

  it("puts one arm's error by that arm, named by its letter", () => {
    const e = experimentErrors("Invalid request body", { "arms.1.weight": ["must be at least 1"], "arms.0.versionId": ["must be at least 1"] });
    expect(e.arm).toEqual({ 1: "Arm B's traffic share must be at least 1.", 0: "Arm A's version must be at least 1." });
    expect(e.form).toBeUndefined();
  });

  it("says a refusal without field errors as the API did, and a field the form does not have in a sentence of its own", () => {
    expect(experimentErrors("Experiment #3 is already running", undefined)).toEqual({ arm: {}, form: "Experiment #3 is already running" });
    expect(experimentErrors("Invalid request body", { primaryMetric: ["must be one of watch_rate, ctr"] }).form).toBe("The metric that decides the winner must be one of watch_rate, ctr.");
  });
});

describe("withoutArm", () => {
  it("drops the arm and the arms' errors, so an error never moves onto the arm that took its row", () => {
    // arm B (row 1) had an error; removing arm A moves arm C into row 1
    const errors = { name: "The name must not be empty.", arm: { 1: "Arm B's traffic share must be at least 1." }, arms: "The traffic shares must add up to 100%." };
    expect(withoutArm(["A", "B", "C"], errors, 0)).toEqual({ arms: ["B", "C"], errors: { name: "The name must not be empty.", arm: {}, arms: undefined } });
  });
});
