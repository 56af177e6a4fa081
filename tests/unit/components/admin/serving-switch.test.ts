import { afterEach, describe, expect, it, vi } from "vitest";
import { stopExperiment } from "@/components/admin/experiment-actions";
import { promoteVersion, rollbackTo } from "@/components/admin/model-actions";

// The admin's serving switches (Models: promote, roll back; Experiments: stop) against a mocked
// fetch: what they send, and what the confirm prompt is told back.

type Call = { url: string; method?: string; body?: string };

function answer(status: number, body: unknown) {
  const calls: Call[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init: RequestInit) => {
      calls.push({ url, method: init.method, body: init.body as string | undefined });
      return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
    }),
  );
  return calls;
}

const conflict = { error: { code: "conflict", message: "A rollback would now serve v2, not v3 (the page was out of date)." } };

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("roll back", () => {
  it("names the version the button and its question showed", async () => {
    // was: no body, so a stale tab's "Roll back to v3" served whichever version came next
    const calls = answer(200, { servingVersion: 3 });
    const refresh = vi.fn();
    expect(await rollbackTo(3, refresh)).toBeNull();
    expect(calls).toEqual([{ url: "/api/admin/models/rollback", method: "POST", body: JSON.stringify({ to: 3 }) }]);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it("a conflict refreshes the page to the real state and closes the prompt with the message", async () => {
    // was: the error showed under a prompt that stayed open, on a page still naming the old versions
    answer(409, conflict);
    const refresh = vi.fn();
    expect(await rollbackTo(3, refresh)).toEqual({ refused: conflict.error.message });
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it("another failure keeps the prompt open (try again) and does not refresh", async () => {
    answer(503, { error: { code: "unavailable", message: "Try again in a moment." } });
    const refresh = vi.fn();
    expect(await rollbackTo(3, refresh)).toBe("Try again in a moment.");
    expect(refresh).not.toHaveBeenCalled();
  });
});

describe("promote and stop", () => {
  it("promote sends no body; a refused promotion (409) refreshes and closes the prompt", async () => {
    const calls = answer(409, { error: { code: "conflict", message: "Version 4 is already serving" } });
    const refresh = vi.fn();
    expect(await promoteVersion(4, refresh)).toEqual({ refused: "Version 4 is already serving" });
    expect(calls[0]).toEqual({ url: "/api/admin/models/4/promote", method: "POST", body: undefined });
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it("stopping an experiment someone else stopped (409) refreshes and closes the prompt", async () => {
    const calls = answer(409, { error: { code: "conflict", message: "Experiment 2 is not running" } });
    const refresh = vi.fn();
    expect(await stopExperiment(2, "B", refresh)).toEqual({ refused: "Experiment 2 is not running" });
    expect(calls[0]).toEqual({ url: "/api/admin/experiments/2/stop", method: "POST", body: JSON.stringify({ promoteArm: "B" }) });
    expect(refresh).toHaveBeenCalledTimes(1);
  });
});
