import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getMoviesCached, MAX_AGE_MS, peekMoviesCached } from "@/lib/catalog/movie-cache";
import { upsertMovies } from "@/lib/catalog/upsert";
import { getDb } from "@/lib/db";
import { movies } from "@/lib/db/schema";
import { useTempDb } from "../../helpers/temp-db";

let tmp: ReturnType<typeof useTempDb>;
beforeAll(async () => {
  tmp = useTempDb();
  await upsertMovies(getDb(), [{ id: 601, title: "Original Title", genres: [{ id: 18, name: "Drama" }] }]);
});
afterAll(() => tmp.cleanup());
afterEach(() => vi.useRealTimers());

// A title changed outside the app (no new catalog generation): only the cache's age limit can
// bring it in.
const renameOutsideTheApp = (title: string) => getDb().update(movies).set({ title }).where(eq(movies.id, 601));
const titleOf = async () => (await getMoviesCached([601])).get(601)?.title;

describe("movie-facts cache", () => {
  it("keeps a row for MAX_AGE_MS, then reads it again", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t0 = Date.now();
    expect(await titleOf()).toBe("Original Title");
    await renameOutsideTheApp("Renamed Once");
    vi.setSystemTime(t0 + MAX_AGE_MS - 1);
    expect(await titleOf()).toBe("Original Title");
    expect(peekMoviesCached([601])?.get(601)?.title).toBe("Original Title");
    vi.setSystemTime(t0 + MAX_AGE_MS);
    expect(await titleOf()).toBe("Renamed Once");
  });

  it("reads a row again when the clock stepped back past the time it was read", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t0 = Date.now();
    await renameOutsideTheApp("Before The Step");
    vi.setSystemTime(t0 + 2 * MAX_AGE_MS);
    expect(await titleOf()).toBe("Before The Step");
    await renameOutsideTheApp("After The Step");
    vi.setSystemTime(t0 + MAX_AGE_MS); // an hour-scale step back: the cached row is "from the future"
    expect(await titleOf()).toBe("After The Step");
  });
});
