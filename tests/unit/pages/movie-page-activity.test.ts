import { Suspense, type ReactElement, type ReactNode } from "react";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { LikeToggle } from "@/components/movies/like-toggle";
import { MovieRow } from "@/components/movies/movie-row";
import { WatchedButton } from "@/components/movies/watched-button";
import { WatchlistToggle } from "@/components/movies/watchlist-toggle";
import type { SessionUser } from "@/lib/auth/accounts";
import { listPopularMovies } from "@/lib/catalog/queries";
import { getDb } from "@/lib/db";
import { users } from "@/lib/db/schema";
import { recordInteraction } from "@/lib/interactions/queries";
import { listSimilarCards } from "@/lib/recs/home";
import { findElement } from "../../helpers/react-tree";
import { useTrainedDb } from "../../helpers/trained-db";

// The movie page rendered in-process on a trained model, for a signed-in user and a visitor:
// the "Your activity" controls and the "More like this" row.

let sessionUser: SessionUser | null = null;
vi.mock("@/lib/auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth")>()),
  getSessionUser: async () => sessionUser,
}));

const { default: MoviePage } = await import("@/app/movies/[id]/page");

let cleanup: () => void;
beforeAll(async () => {
  ({ cleanup } = await useTrainedDb({ users: 150 }));
}, 120_000);
afterAll(() => cleanup());

async function signIn(): Promise<number> {
  const [row] = await getDb().insert(users).values({ email: `movie-page-${Date.now()}@example.com`, source: "app" }).returning();
  sessionUser = { id: row.id, name: null, role: "user", email: row.email! };
  return row.id;
}

async function renderPage(movieId: number): Promise<ReactNode> {
  return MoviePage({ params: Promise.resolve({ id: String(movieId) }), searchParams: Promise.resolve({}) });
}

function byType(tree: ReactNode, type: unknown): ReactElement<Record<string, unknown>> {
  const el = findElement(tree, (e) => e.type === type);
  expect(el, `no ${String((type as { name?: string }).name)} in the page`).not.toBeNull();
  return el as ReactElement<Record<string, unknown>>;
}

/** The films of the page's "More like this" row: its streamed part, rendered as React would. */
async function similarIds(tree: ReactNode): Promise<number[]> {
  const row = findElement(tree, (e) => typeof e.type === "function" && "movie" in (e.props as object));
  expect(row, "the row's async server component").not.toBeNull();
  const rendered = (await (row!.type as (p: unknown) => Promise<ReactElement>)(row!.props)) as ReactElement<{ movies: { id: number }[] }>;
  expect(rendered.type).toBe(MovieRow);
  return rendered.props.movies.map((m) => m.id);
}

describe("the movie page's activity box", () => {
  it("shows the user's like as a pressed Like toggle, beside the watchlist and watched toggles", async () => {
    // was: getUserMovieState returned `liked` and the page never used it: no way to see or undo a like
    const userId = await signIn();
    const [movie] = await listPopularMovies({ k: 1 });
    let page = await renderPage(movie.id);
    expect(byType(page, LikeToggle).props).toMatchObject({ movieId: movie.id, initial: false });
    byType(page, WatchlistToggle);
    byType(page, WatchedButton);
    await recordInteraction({ kind: "like", userId, movieId: movie.id, value: 1 });
    page = await renderPage(movie.id);
    expect(byType(page, LikeToggle).props).toMatchObject({ movieId: movie.id, initial: true });
    await recordInteraction({ kind: "like", userId, movieId: movie.id, value: 0 });
    expect(byType(await renderPage(movie.id), LikeToggle).props).toMatchObject({ initial: false });
  });
});

describe("the movie page's More like this", () => {
  it("leaves out, signed in, the films the user has already rated, watched or liked", async () => {
    const userId = await signIn();
    const [movie] = await listPopularMovies({ k: 1 });
    const all = await similarIds(await renderPage(movie.id));
    expect(all.length).toBeGreaterThan(3);
    await recordInteraction({ kind: "rating", userId, movieId: all[0], value: 4 });
    await recordInteraction({ kind: "watch", userId, movieId: all[1] });
    await recordInteraction({ kind: "like", userId, movieId: all[2], value: 1 });
    const shown = await similarIds(await renderPage(movie.id));
    expect(shown.length).toBe(all.length);
    for (const id of all.slice(0, 3)) expect(shown).not.toContain(id);
    expect(shown.slice(0, 3)).toEqual(all.slice(3, 6));
  });

  it("is the target of home's 'More like ‹title›' link: #more-like-this is sent at once, around the streamed row", async () => {
    sessionUser = null;
    const [movie] = await listPopularMovies({ k: 1 });
    const anchor = findElement(await renderPage(movie.id), (e) => (e.props as { id?: string }).id === "more-like-this");
    expect(anchor?.type).toBe("div");
    const boundary = findElement((anchor!.props as { children: ReactNode }).children, (e) => e.type === Suspense);
    expect(boundary).not.toBeNull();
  });

  it("shows a visitor every neighbour, as before", async () => {
    sessionUser = null;
    const [movie] = await listPopularMovies({ k: 1 });
    expect(await similarIds(await renderPage(movie.id))).toEqual((await listSimilarCards(movie)).movies.map((m) => m.id));
  });
});
