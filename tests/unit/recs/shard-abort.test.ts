import { spawn } from "node:child_process";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { trainRuns } from "@/lib/db/schema";
import { createModelVersion } from "@/lib/mlops/registry";
import { useTempDb } from "../../helpers/temp-db";

// `npm run train -- --abort --run ID` (from any host) marks a sharded run failed. Each shard's
// heartbeat thread reads that after its next beat and ends the shard's process, even in the middle
// of a synchronous fit (was: the shard went on until its next look at the run, minutes later).

let tmp: ReturnType<typeof useTempDb>;
beforeAll(() => {
  tmp = useTempDb();
});
afterAll(() => tmp.cleanup());

describe("a sharded run marked failed", () => {
  it("ends its shard's process from the heartbeat thread, with one line saying why", async () => {
    const version = await createModelVersion({ algorithm: "item-knn", params: {} });
    await getDb().insert(trainRuns).values({ id: "run-abort-1", modelVersionId: version.id, shards: 2, config: {} });
    const child = spawn(process.execPath, ["--import", "tsx", "tests/unit/recs/fixtures/shard-heartbeat.ts", "run-abort-1"], { env: process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const ended = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
    await new Promise((resolve) => child.stdout.once("data", resolve));
    // beating while the main thread spins, and not stopped while the run is running
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(child.exitCode, stderr).toBeNull();
    await getDb().update(trainRuns).set({ status: "failed", error: "aborted with npm run train -- --abort" }).where(eq(trainRuns.id, "run-abort-1"));
    const asked = Date.now();
    expect(await ended, stderr).toBe("SIGTERM");
    expect(Date.now() - asked).toBeLessThan(5_000); // the fixture would have spun for 20 s
    expect(stderr.trim()).toBe("error: training run run-abort-1 was marked failed (aborted, or given up on) while shard 0 worked on it: stopping; start a new run");
  }, 30_000);
});
