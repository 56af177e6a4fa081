import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as metrics } from "@/app/api/metrics/route";
import { useTempDb } from "../helpers/temp-db";

// The database-backed gauges read the database at scrape time. When it fails (an outage, a locked
// or full disk), the scrape must still carry everything else — the request durations and error
// counts are what an operator needs most then — instead of failing whole.
const down = vi.hoisted(() => ({ value: false }));
vi.mock("@/lib/catalog/queries", async (importActual) => {
  const actual = await importActual<typeof import("@/lib/catalog/queries")>();
  return {
    ...actual,
    countMovies: vi.fn(async () => {
      if (down.value) throw Object.assign(new Error("disk I/O error"), { code: "SQLITE_IOERR" });
      return actual.countMovies();
    }),
  };
});

let tmp: ReturnType<typeof useTempDb>;
beforeAll(() => {
  tmp = useTempDb();
});
afterAll(() => tmp.cleanup());

describe("GET /api/metrics while a database-backed gauge fails", () => {
  it("answers 200 with the other series, without the failed gauge", async () => {
    down.value = true;
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const res = await metrics(new Request("http://x/api/metrics"));
      const text = await res.text();
      expect(res.status, text).toBe(200);
      expect(text).toMatch(/^matinee_process_process_cpu_user_seconds_total /m);
      expect(text).not.toMatch(/^matinee_catalog_movies /m);
    } finally {
      down.value = false;
      errors.mockRestore();
    }
  });
});
