import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { catalogGeneration, CHECK_MS, latestCatalogGeneration, peekCatalogGeneration } from "@/lib/catalog/generation";
import { createPlaceholderMovies } from "@/lib/catalog/placeholders";
import { upsertGenres, upsertMovies } from "@/lib/catalog/upsert";
import { getDb, transaction } from "@/lib/db";
import { appState } from "@/lib/db/schema";
import { useTempDb } from "../../helpers/temp-db";

let tmp: ReturnType<typeof useTempDb>;
beforeAll(() => {
  tmp = useTempDb();
});
afterAll(() => tmp.cleanup());
afterEach(() => vi.useRealTimers());

async function token(): Promise<string | null> {
  const [row] = await getDb().select({ value: appState.value }).from(appState).where(eq(appState.key, "catalog_generation"));
  return row?.value ?? null;
}

describe("catalog generation", () => {
  it("is confirmed by one read, then trusted for CHECK_MS without a query", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t0 = Date.now();
    expect(peekCatalogGeneration()).toBeUndefined(); // never looked in this database
    const g = await catalogGeneration();
    expect(peekCatalogGeneration()).toBe(g);
    vi.setSystemTime(t0 + CHECK_MS - 1);
    expect(peekCatalogGeneration()).toBe(g);
    vi.setSystemTime(t0 + CHECK_MS);
    expect(peekCatalogGeneration()).toBeUndefined();
    expect(await catalogGeneration()).toBe(g); // token unchanged: same generation
    vi.setSystemTime(t0 - 1); // the clock stepped back: look again
    expect(peekCatalogGeneration()).toBeUndefined();
  });

  it("answers concurrent lookers with one read", async () => {
    await getDb().insert(appState).values({ key: "catalog_generation", value: "x" }).onConflictDoUpdate({ target: appState.key, set: { value: "y" } });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 10 * CHECK_MS);
    const looks = [catalogGeneration(), catalogGeneration(), catalogGeneration()];
    expect(looks[1]).toBe(looks[0]);
    const [a, b, c] = await Promise.all(looks);
    expect(new Set([a, b, c]).size).toBe(1);
  });

  it.each([
    ["upsertMovies", () => upsertMovies(getDb(), [{ id: 501, title: "A Film", genres: [{ id: 18, name: "Drama" }] }])],
    ["upsertGenres", () => upsertGenres(getDb(), [{ id: 18, name: "Drama (renamed)" }])],
    ["createPlaceholderMovies", () => transaction((tx) => createPlaceholderMovies(tx, [777_001]))],
  ])("%s writes a new token and moves this process on at once", async (_name, write) => {
    const before = await token();
    const g = await catalogGeneration();
    await write();
    expect(await token()).not.toBe(before);
    expect(latestCatalogGeneration()).toBeGreaterThan(g);
    expect(peekCatalogGeneration()).toBeUndefined(); // looks again before trusting anything cached
    expect(await catalogGeneration()).toBeGreaterThan(g);
  });

  it("leaves the token alone when nothing in the catalog changed", async () => {
    const before = await token();
    expect(await transaction((tx) => createPlaceholderMovies(tx, [777_001]))).toBe(0); // already there
    expect(await upsertMovies(getDb(), [])).toEqual({ added: 0, updated: 0 });
    expect(await token()).toBe(before);
  });

  it("moves on when another process writes a token", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const g = await catalogGeneration();
    await getDb().update(appState).set({ value: "from-another-process" }).where(eq(appState.key, "catalog_generation"));
    expect(peekCatalogGeneration()).toBe(g); // not before this process looks again
    vi.setSystemTime(Date.now() + CHECK_MS);
    expect(await catalogGeneration()).toBe(g + 1);
  });
});
