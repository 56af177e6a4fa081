import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCatalog } from "@/lib/catalog/seed";
import { listPopularMovies } from "@/lib/catalog/queries";
import { getDb } from "@/lib/db";
import { users } from "@/lib/db/schema";
import { ApiError } from "@/lib/http/errors";
import { deleteInteraction, recordInteraction } from "@/lib/interactions/queries";
import {
  countUserLists,
  getUserMovieState,
  listLikedMovies,
  listUserLikes,
  listUserRatings,
  listUserWatched,
  listUserWatchlist,
  recordOnboardingPicks,
} from "@/lib/interactions/user-lists";
import { useTempDb } from "../../helpers/temp-db";

let cleanup: () => void;
let ids: number[];
let n = 0;

beforeAll(async () => {
  ({ cleanup } = useTempDb());
  await seedCatalog();
  ids = (await listPopularMovies({ k: 10 })).map((m) => m.id);
}, 60_000);
afterAll(() => cleanup());

async function newAccount(): Promise<number> {
  const [row] = await getDb().insert(users).values({ email: `lists-${++n}@example.com` }).returning({ id: users.id });
  return row.id;
}

describe("a movie's state for one user", () => {
  it("starts empty and follows ratings, watchlist and watches", async () => {
    const userId = await newAccount();
    const movieId = ids[0];
    expect(await getUserMovieState(userId, movieId)).toEqual({ rating: null, inWatchlist: false, watched: false, liked: false });
    await recordInteraction({ kind: "rating", userId, movieId, value: 3.5 });
    await recordInteraction({ kind: "watchlist", userId, movieId, value: 1 });
    await recordInteraction({ kind: "watch", userId, movieId });
    expect(await getUserMovieState(userId, movieId)).toEqual({ rating: 3.5, inWatchlist: true, watched: true, liked: false });
    await recordInteraction({ kind: "rating", userId, movieId, value: 4.5 });
    await recordInteraction({ kind: "watchlist", userId, movieId, value: 0 });
    expect(await getUserMovieState(userId, movieId)).toMatchObject({ rating: 4.5, inWatchlist: false });
  });
});

describe("My ratings and Watchlist", () => {
  it("lists ratings newest first, paged, only the user's own", async () => {
    const userId = await newAccount();
    const other = await newAccount();
    for (const [i, movieId] of ids.slice(0, 5).entries()) await recordInteraction({ kind: "rating", userId, movieId, value: (i % 5) + 1 });
    await recordInteraction({ kind: "rating", userId: other, movieId: ids[9], value: 2 });
    const first = await listUserRatings(userId, 1, 3);
    expect(first.total).toBe(5);
    expect(first.items.map((r) => r.movie.id)).toEqual([ids[4], ids[3], ids[2]]);
    expect(first.items[0].rating).toBe(5);
    const second = await listUserRatings(userId, 2, 3);
    expect(second.items.map((r) => r.movie.id)).toEqual([ids[1], ids[0]]);
    expect((await listUserRatings(await newAccount())).total).toBe(0);
  });

  it("lists the watchlist without removed entries", async () => {
    const userId = await newAccount();
    await recordInteraction({ kind: "watchlist", userId, movieId: ids[0], value: 1 });
    await recordInteraction({ kind: "watchlist", userId, movieId: ids[1], value: 1 });
    await recordInteraction({ kind: "watchlist", userId, movieId: ids[0], value: 0 });
    const list = await listUserWatchlist(userId);
    expect(list.total).toBe(1);
    expect(list.items.map((r) => r.movie.id)).toEqual([ids[1]]);
  });
});

describe("Likes and Watched", () => {
  // was: the account page counted likes and watches, but no page listed them
  it("lists likes newest first, paged, without likes taken back or other users' likes", async () => {
    const userId = await newAccount();
    const other = await newAccount();
    for (const movieId of ids.slice(0, 5)) await recordInteraction({ kind: "like", userId, movieId, value: 1 });
    await recordInteraction({ kind: "like", userId, movieId: ids[1], value: 0 }); // unliked
    await recordInteraction({ kind: "like", userId: other, movieId: ids[9], value: 1 });
    const first = await listUserLikes(userId, 1, 3);
    expect(first).toMatchObject({ total: 4, page: 1, pageSize: 3 });
    expect(first.items.map((r) => r.movie.id)).toEqual([ids[4], ids[3], ids[2]]);
    expect((await listUserLikes(userId, 2, 3)).items.map((r) => r.movie.id)).toEqual([ids[0]]);
    // liked again: back, as the latest (a later millisecond than the others)
    await new Promise((resolve) => setTimeout(resolve, 5));
    await recordInteraction({ kind: "like", userId, movieId: ids[1], value: 1 });
    expect((await listUserLikes(userId)).items.map((r) => r.movie.id)).toEqual([ids[1], ids[4], ids[3], ids[2], ids[0]]);
    expect((await listUserLikes(await newAccount())).total).toBe(0);
  });

  it("lists watched films newest first, without a watch taken back", async () => {
    const userId = await newAccount();
    for (const movieId of ids.slice(0, 3)) await recordInteraction({ kind: "watch", userId, movieId, watchSeconds: 600 });
    await deleteInteraction(userId, ids[1], "watch"); // unmarked
    const list = await listUserWatched(userId);
    expect(list.total).toBe(2);
    expect(list.items.map((r) => r.movie.id)).toEqual([ids[2], ids[0]]);
    expect(list.items[0].addedAt).toEqual(expect.any(Number));
    // ratings, likes and the watchlist are other lists
    await recordInteraction({ kind: "rating", userId, movieId: ids[5], value: 4 });
    expect((await listUserWatched(userId)).total).toBe(2);
  });

  it("counts each list as its page does", async () => {
    const userId = await newAccount();
    await recordInteraction({ kind: "rating", userId, movieId: ids[0], value: 1 });
    await recordInteraction({ kind: "rating", userId, movieId: ids[1], value: 4.5 });
    await recordInteraction({ kind: "watch", userId, movieId: ids[0] });
    await recordInteraction({ kind: "like", userId, movieId: ids[0], value: 1 });
    await recordInteraction({ kind: "like", userId, movieId: ids[1], value: 0 });
    await recordInteraction({ kind: "watchlist", userId, movieId: ids[2], value: 0 });
    const counts = await countUserLists(userId);
    expect(counts).toEqual({ rating: 2, watch: 1, like: 1, watchlist: 0 });
    expect(counts.like).toBe((await listUserLikes(userId)).total);
    expect(counts.watch).toBe((await listUserWatched(userId)).total);
    expect(counts.rating).toBe((await listUserRatings(userId)).total);
    expect(counts.watchlist).toBe((await listUserWatchlist(userId)).total);
  });
});

describe("onboarding picks", () => {
  it("records each pick once as a like", async () => {
    const userId = await newAccount();
    expect(await recordOnboardingPicks(userId, [ids[0], ids[1], ids[1], ids[2]])).toBe(3);
    expect((await listLikedMovies(userId, 50)).map((m) => m.id).sort()).toEqual([ids[0], ids[1], ids[2]].sort());
  });

  it("takes back the likes of films un-picked on a later visit, and keeps other likes", async () => {
    const userId = await newAccount();
    await recordOnboardingPicks(userId, [ids[0], ids[1], ids[2]]);
    // the page opened with ids[0..2] picked; the user un-picked ids[1] and ids[2], picked ids[3]
    await recordOnboardingPicks(userId, [ids[0], ids[3]], [ids[0], ids[1], ids[2]]);
    expect((await listLikedMovies(userId, 50)).map((m) => m.id).sort()).toEqual([ids[0], ids[3]].sort());
    // a film named as un-picked but also picked keeps its like
    await recordOnboardingPicks(userId, [ids[3]], [ids[3], ids[0]]);
    expect((await listLikedMovies(userId, 50)).map((m) => m.id)).toEqual([ids[3]]);
  });

  it("lists liked films newest first, up to the limit", async () => {
    const userId = await newAccount();
    for (const id of [ids[0], ids[1], ids[2]]) await recordOnboardingPicks(userId, [id]);
    expect((await listLikedMovies(userId, 2)).map((m) => m.id)).toEqual([ids[2], ids[1]]);
  });

  it("rejects a movie that is not in the catalog", async () => {
    const userId = await newAccount();
    await expect(recordOnboardingPicks(userId, [999_999_999])).rejects.toBeInstanceOf(ApiError);
  });
});
