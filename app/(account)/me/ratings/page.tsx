import type { Metadata } from "next";
import Link from "next/link";
import { CardGrid } from "@/components/movies/card-grid";
import { Pagination, pageFromParam, redirectPastLastPage } from "@/components/movies/pagination";
import { requireUserPage } from "@/lib/auth";
import { listUserRatings } from "@/lib/interactions/user-lists";
import { formatCount } from "@/lib/util/format";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "My ratings" };

type Props = { searchParams: Promise<{ page?: string | string[] }> };

const hrefFor = (page: number) => (page > 1 ? `/me/ratings?page=${page}` : "/me/ratings");

function stars(v: number) {
  // out of 5, beside the card's TMDB average out of 10
  return `Your rating: ★ ${v % 1 === 0 ? v.toFixed(0) : v.toFixed(1)}/5`;
}

export default async function MyRatingsPage({ searchParams }: Props) {
  const user = await requireUserPage("/me/ratings");
  const page = pageFromParam((await searchParams).page);
  const list = await listUserRatings(user.id, page);
  redirectPastLastPage(list, hrefFor);
  const notes = Object.fromEntries(list.items.map((r) => [r.movie.id, stars(r.rating)]));
  return (
    <section aria-labelledby="ratings-title">
      <h1 id="ratings-title" className="text-2xl font-extrabold tracking-tight sm:text-3xl">
        My ratings
      </h1>
      <p className="mb-5 mt-1 text-sm text-zinc-400">
        {list.total === 0 ? "Films you rate show up here." : `${formatCount(list.total, "film")}, newest first.`}
      </p>
      {list.total === 0 ? (
        <div role="status" className="rounded-lg border border-dashed border-white/10 p-10 text-center text-zinc-400">
          <p>You haven&apos;t rated anything yet.</p>
          <p className="mt-2 text-sm">
            Open any film and pick its stars —{" "}
            <Link href="/search" className="font-semibold text-accent hover:underline">
              find a film to rate
            </Link>
            .
          </p>
        </div>
      ) : (
        <CardGrid movies={list.items.map((r) => r.movie)} notes={notes} testId="my-ratings" />
      )}
      <Pagination page={list.page} pageSize={list.pageSize} total={list.total} hrefFor={hrefFor} />
    </section>
  );
}
