import type { ReactNode } from "react";
import { CardGrid } from "@/components/movies/card-grid";
import { Pagination, pageFromParam, redirectPastLastPage } from "@/components/movies/pagination";
import { requireUserPage } from "@/lib/auth";
import type { MovieCard } from "@/lib/catalog/card";
import type { ListedMovie, UserListPage } from "@/lib/interactions/user-lists";
import { formatCount } from "@/lib/util/format";

export type OwnListSearchParams = Promise<{ page?: string | string[] }>;

type OwnList = {
  path: string;
  title: string;
  load: (userId: number, page: number) => Promise<UserListPage<ListedMovie>>;
  /** The line under the title while the list is empty. */
  intro: string;
  /** How it is ordered, after the count: "latest added first". */
  order: string;
  testId: string;
  toggle: (movie: MovieCard) => ReactNode;
  /** The empty state's words (and a link to where the list fills). */
  empty: ReactNode;
};

/**
 * The page of one of the signed-in user's own lists of films (Watchlist, Likes, Watched): 24 a
 * page, newest first, each card with the movie page's toggle for that list (`toggle`, named after
 * its film). Taking a film off keeps its card in place until the next visit, so it can be put back
 * (CardGrid's keepRemoved). A `?page=` past the end goes to the last page.
 */
export function ownListPage({ path, title, load, intro, order, testId, toggle, empty }: OwnList) {
  return async function OwnListPage({ searchParams }: { searchParams: OwnListSearchParams }) {
    const user = await requireUserPage(path);
    const list = await load(user.id, pageFromParam((await searchParams).page));
    const hrefFor = (page: number) => (page > 1 ? `${path}?page=${page}` : path);
    redirectPastLastPage(list, hrefFor);
    const headingId = `${testId}-title`;
    return (
      <section aria-labelledby={headingId}>
        <h1 id={headingId} className="text-2xl font-extrabold tracking-tight sm:text-3xl">
          {title}
        </h1>
        <p className="mb-5 mt-1 text-sm text-zinc-400">{list.total === 0 ? intro : `${formatCount(list.total, "film")}, ${order}.`}</p>
        <CardGrid movies={list.items.map((r) => r.movie)} testId={testId} actions={toggle} keepRemoved={`page-${list.page}`} emptyMessage={empty} />
        <Pagination page={list.page} pageSize={list.pageSize} total={list.total} hrefFor={hrefFor} />
      </section>
    );
  };
}
