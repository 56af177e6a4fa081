import type { Metadata } from "next";
import Link from "next/link";
import { CardGrid } from "@/components/movies/card-grid";
import { WatchlistToggle } from "@/components/movies/watchlist-toggle";
import { Pagination, pageFromParam, redirectPastLastPage } from "@/components/movies/pagination";
import { requireUserPage } from "@/lib/auth";
import { listUserWatchlist } from "@/lib/interactions/user-lists";
import { formatCount } from "@/lib/util/format";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Watchlist" };

type Props = { searchParams: Promise<{ page?: string | string[] }> };

const hrefFor = (page: number) => (page > 1 ? `/me/watchlist?page=${page}` : "/me/watchlist");

export default async function WatchlistPage({ searchParams }: Props) {
  const user = await requireUserPage("/me/watchlist");
  const page = pageFromParam((await searchParams).page);
  const list = await listUserWatchlist(user.id, page);
  redirectPastLastPage(list, hrefFor);
  return (
    <section aria-labelledby="watchlist-title">
      <h1 id="watchlist-title" className="text-2xl font-extrabold tracking-tight sm:text-3xl">
        Watchlist
      </h1>
      <p className="mb-5 mt-1 text-sm text-zinc-400">
        {list.total === 0 ? "Films you want to see later." : `${formatCount(list.total, "film")}, latest added first.`}
      </p>
      {list.total === 0 ? (
        <div role="status" className="rounded-lg border border-dashed border-white/10 p-10 text-center text-zinc-400">
          <p>Your watchlist is empty.</p>
          <p className="mt-2 text-sm">
            Use “Add to watchlist” on a film&apos;s page —{" "}
            <Link href="/" className="font-semibold text-accent hover:underline">
              start from your picks
            </Link>
            .
          </p>
        </div>
      ) : (
        // each card can be taken off here; once saved, the page's data is refreshed (useOptimisticSave)
        // and the card leaves the list
        <CardGrid movies={list.items.map((r) => r.movie)} testId="my-watchlist" actions={(m) => <WatchlistToggle movieId={m.id} initial title={m.title} />} />
      )}
      <Pagination page={list.page} pageSize={list.pageSize} total={list.total} hrefFor={hrefFor} />
    </section>
  );
}
