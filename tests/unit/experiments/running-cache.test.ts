import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getRunningExperiment, invalidateRunningExperiment, peekRunningExperiment, RUNNING_TTL_MS } from "@/lib/experiments/serve";
import { useTempDb } from "../../helpers/temp-db";

let tmp: ReturnType<typeof useTempDb>;
beforeAll(() => {
  tmp = useTempDb(); // no experiment running
});
afterAll(() => tmp.cleanup());
afterEach(() => {
  vi.useRealTimers();
  invalidateRunningExperiment();
});

describe("running experiment cache", () => {
  it("is trusted for RUNNING_TTL_MS after a read, then read again", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t0 = Date.now();
    expect(peekRunningExperiment()).toBeUndefined();
    expect(await getRunningExperiment()).toBeNull();
    expect(peekRunningExperiment()).toBeNull();
    vi.setSystemTime(t0 + RUNNING_TTL_MS - 1);
    expect(peekRunningExperiment()).toBeNull();
    vi.setSystemTime(t0 + RUNNING_TTL_MS);
    expect(peekRunningExperiment()).toBeUndefined();
  });

  it("is not trusted after the clock stepped back (starting an experiment would otherwise wait out the step)", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t0 = Date.now();
    expect(await getRunningExperiment()).toBeNull();
    vi.setSystemTime(t0 - 60 * 60_000);
    expect(peekRunningExperiment()).toBeUndefined();
  });
});
