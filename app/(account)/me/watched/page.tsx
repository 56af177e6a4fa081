import type { Metadata } from "next";
import Link from "next/link";
import { CardGrid } from "@/components/movies/card-grid";
import { WatchedButton } from "@/components/movies/watched-button";
import { Pagination, pageFromParam, redirectPastLastPage } from "@/components/movies/pagination";
import { requireUserPage } from "@/lib/auth";
import { listUserWatched } from "@/lib/interactions/user-lists";
import { formatCount } from "@/lib/util/format";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Watched" };

type Props = { searchParams: Promise<{ page?: string | string[] }> };

const hrefFor = (page: number) => (page > 1 ? `/me/watched?page=${page}` : "/me/watched");

export default async function WatchedPage({ searchParams }: Props) {
  const user = await requireUserPage("/me/watched");
  const page = pageFromParam((await searchParams).page);
  const list = await listUserWatched(user.id, page);
  redirectPastLastPage(list, hrefFor);
  return (
    <section aria-labelledby="watched-title">
      <h1 id="watched-title" className="text-2xl font-extrabold tracking-tight sm:text-3xl">
        Watched
      </h1>
      <p className="mb-5 mt-1 text-sm text-zinc-400">
        {list.total === 0 ? "Films you mark as watched show up here." : `${formatCount(list.total, "film")}, latest watched first.`}
      </p>
      {list.total === 0 ? (
        <div role="status" className="rounded-lg border border-dashed border-white/10 p-10 text-center text-zinc-400">
          <p>You haven&apos;t marked anything as watched yet.</p>
          <p className="mt-2 text-sm">
            Use “Mark as watched” on a film&apos;s page —{" "}
            <Link href="/search" className="font-semibold text-accent hover:underline">
              find a film you&apos;ve seen
            </Link>
            .
          </p>
        </div>
      ) : (
        // each card's toggle unmarks it (a watch marked by mistake); once saved, the page's data is
        // refreshed and the card leaves the list, as on the Watchlist
        <CardGrid movies={list.items.map((r) => r.movie)} testId="my-watched" actions={(m) => <WatchedButton movieId={m.id} initial title={m.title} />} />
      )}
      <Pagination page={list.page} pageSize={list.pageSize} total={list.total} hrefFor={hrefFor} />
    </section>
  );
}
