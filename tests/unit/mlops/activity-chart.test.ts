import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { upsertMovies } from "@/lib/catalog/upsert";
import { getDb } from "@/lib/db";
import { interactions, users } from "@/lib/db/schema";
import { countInteractionsOver } from "@/lib/mlops/stats";
import { useTempDb } from "../../helpers/temp-db";
import { catalogMovies } from "../interactions/fixtures";

// The admin overview's "Interactions per day / week / month" chart: which buckets, and what is in
// them, for each range.

let tmp: ReturnType<typeof useTempDb>;
let userId: number;
const MOVIES = [550, 551, 552];
const at = (iso: string) => Date.parse(`${iso}Z`);

beforeAll(async () => {
  tmp = useTempDb();
  await upsertMovies(getDb(), catalogMovies(MOVIES));
  [{ id: userId }] = await getDb().insert(users).values({ email: "fan@example.com" }).returning({ id: users.id });
});
afterAll(() => tmp.cleanup());
let used = 0; // rows recorded in this test: each gets its own (movie, kind)
beforeEach(async () => {
  await getDb().delete(interactions);
  used = 0;
});

async function record(...stamps: string[]) {
  // one row per (movie, kind), so rows never collide
  const kinds = ["watch", "rating", "like", "watchlist"] as const;
  const rows = stamps.map((s) => {
    const i = used++;
    const kind = kinds[Math.floor(i / MOVIES.length)];
    return { userId, movieId: MOVIES[i % MOVIES.length], kind, value: kind === "rating" ? 4 : null, source: "app" as const, createdAt: at(s) };
  });
  await getDb().insert(interactions).values(rows);
}

describe("countInteractionsOver", () => {
  it("is empty, with no latest day, when nothing was recorded", async () => {
    for (const range of ["60d", "1y", "all"] as const) {
      expect(await countInteractionsOver(range)).toEqual({ range, unit: "day", buckets: [], latestDay: null });
    }
  });

  it("60 days: one bar a day up to the latest interaction, older ones left out", async () => {
    await record("2024-01-01T10:00:00", "2026-11-01T23:59:59", "2026-11-20T00:00:00", "2026-11-20T12:00:00");
    const s = await countInteractionsOver("60d");
    expect(s.unit).toBe("day");
    expect(s.latestDay).toBe("2026-11-20");
    expect(s.buckets).toHaveLength(60);
    expect(s.buckets[0]).toEqual({ start: "2026-09-22", count: 0 });
    expect(s.buckets.at(-1)).toEqual({ start: "2026-11-20", count: 2 });
    expect(s.buckets.find((b) => b.start === "2026-11-01")?.count).toBe(1);
    expect(s.buckets.reduce((t, b) => t + b.count, 0)).toBe(3);
  });

  it("1 year: whole weeks from Monday, up to the latest interaction's week", async () => {
    // 2026-11-20 is a Friday; 2025-11-20 a Thursday, in the week of Monday 2025-11-17
    await record("2025-11-17T00:00:00", "2025-11-20T08:00:00", "2026-11-16T09:00:00", "2026-11-20T09:00:00", "2025-01-01T00:00:00");
    const s = await countInteractionsOver("1y");
    expect(s.unit).toBe("week");
    expect(s.buckets[0]).toEqual({ start: "2025-11-17", count: 2 });
    expect(s.buckets.at(-1)).toEqual({ start: "2026-11-16", count: 2 });
    expect(s.buckets).toHaveLength(53);
    expect(new Set(s.buckets.map((b) => new Date(`${b.start}T00:00:00Z`).getUTCDay()))).toEqual(new Set([1]));
    expect(s.buckets.reduce((t, b) => t + b.count, 0)).toBe(4);
  });

  it("all time: by month over a long history, keeping what the 60-day view loses", async () => {
    // two years of (simulated) history, then one real user acting much later
    await record("2023-03-15T00:00:00", "2023-03-31T23:00:00", "2024-02-29T12:00:00", "2026-11-20T09:00:00");
    const s = await countInteractionsOver("all");
    expect(s.unit).toBe("month");
    expect(s.buckets[0]).toEqual({ start: "2023-03", count: 2 });
    expect(s.buckets.find((b) => b.start === "2024-02")?.count).toBe(1);
    expect(s.buckets.at(-1)).toEqual({ start: "2026-11", count: 1 });
    expect(s.buckets).toHaveLength(45); // March 2023 to November 2026
    expect((await countInteractionsOver("60d")).buckets.reduce((t, b) => t + b.count, 0)).toBe(1);
  });

  it("all time: by year past ten years of months (an imported MovieLens history spans 1996-2018)", async () => {
    await record("1996-03-29T00:00:00", "1996-12-31T23:00:00", "2005-06-01T00:00:00", "2018-09-24T00:00:00");
    const s = await countInteractionsOver("all");
    expect(s.unit).toBe("year");
    expect(s.buckets).toHaveLength(23);
    expect(s.buckets[0]).toEqual({ start: "1996", count: 2 });
    expect(s.buckets.at(-1)).toEqual({ start: "2018", count: 1 });
    expect(s.latestDay).toBe("2018-09-24");
  });

  it("all time: by day or week when the history is short enough", async () => {
    await record("2026-11-01T00:00:00", "2026-11-20T00:00:00");
    expect(await countInteractionsOver("all")).toMatchObject({ unit: "day", buckets: expect.any(Array) });
    expect((await countInteractionsOver("all")).buckets).toHaveLength(20);
    await record("2026-01-05T00:00:00", "2026-11-21T00:00:00", "2026-11-22T00:00:00");
    const weekly = await countInteractionsOver("all");
    expect(weekly.unit).toBe("week");
    expect(weekly.buckets[0]).toEqual({ start: "2026-01-05", count: 1 });
    expect(weekly.buckets.reduce((t, b) => t + b.count, 0)).toBe(5);
  });
});
