import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { useTempDb } from "./temp-db";

/**
 * The tests every per-process cache of one database read shares (the serving pointer, the running
 * experiment): on an empty database the read answers null, which is then trusted for `ttlMs`,
 * and not at all once the wall clock stepped back past the read.
 */
export function describeReadCache(
  name: string,
  cache: { read: () => Promise<unknown>; peek: () => unknown; ttlMs: number; forget: () => void; stepBackBlocks: string },
): void {
  let tmp: ReturnType<typeof useTempDb>;
  beforeAll(() => {
    tmp = useTempDb();
  });
  afterAll(() => tmp.cleanup());
  afterEach(() => {
    vi.useRealTimers();
    cache.forget();
  });

  describe(name, () => {
    it("is trusted for its time limit after a read, then read again", async () => {
      vi.useFakeTimers({ toFake: ["Date"] });
      const t0 = Date.now();
      expect(cache.peek()).toBeUndefined(); // never read
      expect(await cache.read()).toBeNull();
      expect(cache.peek()).toBeNull();
      vi.setSystemTime(t0 + cache.ttlMs - 1);
      expect(cache.peek()).toBeNull();
      vi.setSystemTime(t0 + cache.ttlMs);
      expect(cache.peek()).toBeUndefined();
    });

    it(`is not trusted after the clock stepped back (${cache.stepBackBlocks} would otherwise wait out the step)`, async () => {
      vi.useFakeTimers({ toFake: ["Date"] });
      const t0 = Date.now();
      expect(await cache.read()).toBeNull();
      vi.setSystemTime(t0 - 60 * 60_000);
      expect(cache.peek()).toBeUndefined();
    });
  });
}
