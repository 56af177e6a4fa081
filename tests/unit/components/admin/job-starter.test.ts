import { describe, expect, it } from "vitest";
import { crawlJobParams, emptyNumberFields, startFormMessage, withoutField } from "@/components/admin/job-starter";

// What an admin start form (Jobs page) says above its button after the API refused a start.

const placed = ["pages.from", "pages.to", "region", "language"];

describe("startFormMessage", () => {
  it("says nothing before a refusal", () => {
    expect(startFormMessage(null, {}, placed, [])).toBeNull();
  });

  it("keeps a conflict's message while the job it names is queued or running, and drops it once that job has finished", () => {
    // was: "A train job is already queued (job #4)…" stayed under the form after job #4 finished
    const conflict = { message: "A train job is already queued (job #4). Wait for it to finish.", jobId: 4 };
    expect(startFormMessage(conflict, {}, ["model"], [])).toBe(conflict.message);
    expect(startFormMessage(conflict, {}, ["model"], [1, 2, 3])).toBe(conflict.message);
    expect(startFormMessage(conflict, {}, ["model"], [1, 2, 3, 4])).toBeNull();
    // a refusal that names no job is not cleared by finished jobs
    expect(startFormMessage({ message: "Could not reach the server." }, {}, ["model"], [4])).toBe("Could not reach the server.");
  });

  it("leaves out the generic message when every field error is shown by its field", () => {
    // was: each field error also brought an "Invalid request body" box
    const refusal = { message: "Invalid crawl job parameters" };
    expect(startFormMessage(refusal, { "pages.to": ["Too big: expected number to be <=500"] }, placed, [])).toBeNull();
    expect(startFormMessage(refusal, { "pages.from": ["required"], region: ["bad"] }, placed, [])).toBeNull();
  });

  it("still says what went wrong when a field error has no field to show it", () => {
    const refusal = { message: "Invalid crawl job parameters" };
    expect(startFormMessage(refusal, { pages: ["from must not be after to"], "pages.to": ["too big"] }, placed, [])).toBe(
      "Invalid crawl job parameters pages: from must not be after to",
    );
  });
});

describe("a start form's number fields", () => {
  const crawl = { from: "pages.from", to: "pages.to" };
  const form = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null });

  it("says an empty one is required (was: 'must be at least 1', as Number('') is 0)", () => {
    expect(emptyNumberFields(form({ from: "", to: "5" }), crawl)).toEqual({ "pages.from": ["is required"] });
    expect(emptyNumberFields(form({ from: " ", to: "" }), crawl)).toEqual({ "pages.from": ["is required"], "pages.to": ["is required"] });
    expect(emptyNumberFields(form({ from: "1", to: "5" }), crawl)).toEqual({});
    // users has a default in the API: sent empty, a 1,000-user simulation would have started
    expect(emptyNumberFields(form({ seed: "42" }), { users: "users", seed: "seed" })).toEqual({ users: ["is required"] });
  });

  it("loses a field's error once that field is edited, keeping the others'", () => {
    // was: the error stayed next to the field after it had been corrected
    const fields = { "pages.from": ["is required"], "pages.to": ["must be at most 500"] };
    expect(withoutField(fields, "pages.from")).toEqual({ "pages.to": ["must be at most 500"] });
    expect(withoutField(fields, "region")).toBe(fields);
    expect(withoutField(fields, undefined)).toBe(fields);
  });
});

describe("the crawl form's params", () => {
  const form = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null });

  it("sends Start over as restart, so pages already done can be fetched again (was: no way to from the admin)", () => {
    const fields = { from: "1", to: "5", region: "KR", language: "ko-KR" };
    expect(crawlJobParams(form(fields))).toEqual({ pages: { from: 1, to: 5 }, region: "KR", language: "ko-KR", restart: false });
    expect(crawlJobParams(form({ ...fields, restart: "on" }))).toMatchObject({ restart: true });
  });
});
