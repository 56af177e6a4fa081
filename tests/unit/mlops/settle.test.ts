import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { listModelsForApi } from "@/lib/mlops/api";
import { useTempDb } from "../../helpers/temp-db";

// The sweep before a listing writes (it fails dead jobs and their versions). GET /api/models is
// public: a sweep that cannot write (a lock, a read-only database) must not turn the listing into a 500.
vi.mock("@/lib/jobs/queries", async (original) => ({
  ...(await original<typeof import("@/lib/jobs/queries")>()),
  failStaleJobs: vi.fn(async () => {
    throw new Error("attempt to write a readonly database");
  }),
}));

let tmp: ReturnType<typeof useTempDb>;
beforeAll(() => {
  tmp = useTempDb();
});
afterAll(() => tmp.cleanup());

describe("settleAbandonedTraining before a listing", () => {
  // (a database that cannot be read at all stays the listing's own one-line error:
  // tests/scripts/database-path.test.ts runs `models list` and `runs` on such databases)
  it("is best effort: the listing answers and the failure is logged", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    await expect(listModelsForApi()).resolves.toMatchObject({ items: [], servingVersion: null });
    expect(logged).toHaveBeenCalledWith("could not settle abandoned training runs before listing: attempt to write a readonly database");
    logged.mockRestore();
  });
});
