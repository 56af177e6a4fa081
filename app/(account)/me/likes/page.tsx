import type { Metadata } from "next";
import Link from "next/link";
import { CardGrid } from "@/components/movies/card-grid";
import { LikeToggle } from "@/components/movies/like-toggle";
import { Pagination, pageFromParam, redirectPastLastPage } from "@/components/movies/pagination";
import { requireUserPage } from "@/lib/auth";
import { listUserLikes } from "@/lib/interactions/user-lists";
import { formatCount } from "@/lib/util/format";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Likes" };

type Props = { searchParams: Promise<{ page?: string | string[] }> };

const hrefFor = (page: number) => (page > 1 ? `/me/likes?page=${page}` : "/me/likes");

export default async function LikesPage({ searchParams }: Props) {
  const user = await requireUserPage("/me/likes");
  const page = pageFromParam((await searchParams).page);
  const list = await listUserLikes(user.id, page);
  redirectPastLastPage(list, hrefFor);
  return (
    <section aria-labelledby="likes-title">
      <h1 id="likes-title" className="text-2xl font-extrabold tracking-tight sm:text-3xl">
        Likes
      </h1>
      <p className="mb-5 mt-1 text-sm text-zinc-400">
        {list.total === 0 ? "Films you like show up here." : `${formatCount(list.total, "film")}, latest liked first.`}
      </p>
      {/* each card's button takes its film off the list and puts it back; the list changes on the next visit */}
      <CardGrid
        movies={list.items.map((r) => r.movie)}
        testId="my-likes"
        actions={(m) => <LikeToggle movieId={m.id} initial title={m.title} />}
        keepRemoved={`page-${list.page}`}
        emptyMessage={
          <>
            <p>You haven&apos;t liked anything yet.</p>
            <p className="mt-2 text-sm">
              Use “Like” on a film&apos;s page, or{" "}
              <Link href="/onboarding" className="font-semibold text-accent hover:underline">
                pick a few favourites
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
