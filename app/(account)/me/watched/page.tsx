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
      {/* each card's button takes its film off the list and puts it back; the list changes on the next visit */}
      <CardGrid
        movies={list.items.map((r) => r.movie)}
        testId="my-watched"
        actions={(m) => <WatchedButton movieId={m.id} initial title={m.title} />}
        keepRemoved={`page-${list.page}`}
        emptyMessage={
          <>
            <p>You haven&apos;t marked anything as watched yet.</p>
            <p className="mt-2 text-sm">
              Use “Mark as watched” on a film&apos;s page —{" "}
              <Link href="/search" className="font-semibold text-accent hover:underline">
                find a film you&apos;ve seen
              </Link>
              .
            </p>
          </>
        }
      />
      <Pagination page={list.page} pageSize={list.pageSize} total={list.total} hrefFor={hrefFor} />
    </section>
  );
}
