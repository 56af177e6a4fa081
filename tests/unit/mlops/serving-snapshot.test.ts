import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getServingSnapshot, invalidateServingSnapshot, peekServingSnapshot, SERVING_TTL_MS } from "@/lib/mlops/registry";
import { useTempDb } from "../../helpers/temp-db";

let tmp: ReturnType<typeof useTempDb>;
beforeAll(() => {
  tmp = useTempDb(); // no model: the serving snapshot is null
});
afterAll(() => tmp.cleanup());
afterEach(() => {
  vi.useRealTimers();
  invalidateServingSnapshot();
});

describe("serving snapshot cache", () => {
  it("is trusted for SERVING_TTL_MS after a read, then read again", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t0 = Date.now();
    expect(peekServingSnapshot()).toBeUndefined(); // never read
    expect(await getServingSnapshot()).toBeNull();
    expect(peekServingSnapshot()).toBeNull();
    vi.setSystemTime(t0 + SERVING_TTL_MS - 1);
    expect(peekServingSnapshot()).toBeNull();
    vi.setSystemTime(t0 + SERVING_TTL_MS);
    expect(peekServingSnapshot()).toBeUndefined();
  });

  it("is not trusted after the clock stepped back (a promotion would otherwise wait out the step)", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t0 = Date.now();
    expect(await getServingSnapshot()).toBeNull();
    vi.setSystemTime(t0 - 60 * 60_000);
    expect(peekServingSnapshot()).toBeUndefined();
  });
});
