import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { seedCatalog } from "@/lib/catalog/seed";
import { listPopularMovies } from "@/lib/catalog/queries";
import { getDb } from "@/lib/db";
import { users } from "@/lib/db/schema";
import { recordInteraction } from "@/lib/interactions/queries";
import { redirectTarget } from "../../helpers/redirect";
import { useTempDb } from "../../helpers/temp-db";

// The paged pages (search, My ratings, Watchlist, Likes, Watched) rendered in-process on a temporary database:
// a page past the end goes to the last page instead of a count over an empty grid.

const session = vi.hoisted(() => ({ userId: 0 }));
vi.mock("@/lib/auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth")>()),
  requireUserPage: async () => ({ id: session.userId, email: "pages@example.com", role: "user" }),
}));

const { default: SearchPage } = await import("@/app/(main)/search/page");
const { default: MyRatingsPage } = await import("@/app/(account)/me/ratings/page");
const { default: WatchlistPage } = await import("@/app/(account)/me/watchlist/page");
const { default: LikesPage } = await import("@/app/(account)/me/likes/page");
const { default: WatchedPage } = await import("@/app/(account)/me/watched/page");

let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ cleanup } = useTempDb());
  await seedCatalog();
  const [row] = await getDb().insert(users).values({ email: "pages@example.com" }).returning({ id: users.id });
  session.userId = row.id;
  const ids = (await listPopularMovies({ k: 3 })).map((m) => m.id);
  for (const movieId of ids) {
    await recordInteraction({ kind: "rating", userId: row.id, movieId, value: 4 });
    await recordInteraction({ kind: "watchlist", userId: row.id, movieId, value: 1 });
    await recordInteraction({ kind: "like", userId: row.id, movieId, value: 1 });
    await recordInteraction({ kind: "watch", userId: row.id, movieId });
  }
}, 60_000);
afterAll(() => cleanup());

type Page = (props: { searchParams: Promise<Record<string, string>> }) => Promise<unknown>;

/** Where the page redirects for these query parameters, or null when it renders. */
const redirectOf = (page: Page, params: Record<string, string>) => redirectTarget(() => page({ searchParams: Promise.resolve(params) }));

describe("a page past the end of a list", () => {
  it("search: goes to the last page, keeping the filters", async () => {
    // 4,803 movies, 24 a page: 201 pages
    expect(await redirectOf(SearchPage, { page: "999" })).toBe("/search?page=201");
    expect(await redirectOf(SearchPage, { page: "201" })).toBeNull();
    // 'alien' matches fewer than 24 titles: one page
    expect(await redirectOf(SearchPage, { query: "alien", page: "5" })).toBe("/search?query=alien");
    expect(await redirectOf(SearchPage, { query: "alien", genre: "Horror", sort: "year", page: "2" })).toBe(
      "/search?query=alien&genre=Horror&sort=year",
    );
    // no match at all: the first page, which says so
    expect(await redirectOf(SearchPage, { query: "zzqxnotafilm", page: "3" })).toBe("/search?query=zzqxnotafilm");
    expect(await redirectOf(SearchPage, { query: "zzqxnotafilm" })).toBeNull();
  });

  it("search: an over-long title search is cut to the form's 100 characters, not dropped", async () => {
    // it matches nothing, so page 3 goes to page 1 of that search (a dropped query would list the whole catalog)
    expect(await redirectOf(SearchPage, { query: "q".repeat(300), page: "3" })).toBe(`/search?query=${"q".repeat(100)}`);
    expect(await redirectOf(SearchPage, { query: `${"é".repeat(99)}😀😀`, page: "3" })).toBe(`/search?${new URLSearchParams({ query: "é".repeat(99) })}`);
  });

  it("My ratings and Watchlist: go to the last page", async () => {
    expect(await redirectOf(MyRatingsPage, { page: "999" })).toBe("/me/ratings");
    expect(await redirectOf(MyRatingsPage, { page: "2" })).toBe("/me/ratings");
    expect(await redirectOf(MyRatingsPage, {})).toBeNull();
    expect(await redirectOf(WatchlistPage, { page: "999" })).toBe("/me/watchlist");
    expect(await redirectOf(WatchlistPage, { page: "1" })).toBeNull();
  });

  it("Likes and Watched: go to the last page, as the other lists do", async () => {
    expect(await redirectOf(LikesPage, { page: "999" })).toBe("/me/likes");
    expect(await redirectOf(LikesPage, {})).toBeNull();
    expect(await redirectOf(WatchedPage, { page: "2" })).toBe("/me/watched");
    expect(await redirectOf(WatchedPage, { page: "1" })).toBeNull();
  });
});
