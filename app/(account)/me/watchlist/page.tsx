import type { Metadata } from "next";
import Link from "next/link";
import { ownListPage } from "@/components/account/own-list-page";
import { WatchlistToggle } from "@/components/movies/watchlist-toggle";
import { listUserWatchlist } from "@/lib/interactions/user-lists";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Watchlist" };

export default ownListPage({
  path: "/me/watchlist",
  title: "Watchlist",
  load: listUserWatchlist,
  intro: "Films you want to see later.",
  order: "latest added first",
  testId: "my-watchlist",
  toggle: (m) => <WatchlistToggle movieId={m.id} initial title={m.title} />,
  empty: (
    <>
      <p>Your watchlist is empty.</p>
      <p className="mt-2 text-sm">
        Use “Add to watchlist” on a film&apos;s page —{" "}
        <Link href="/" className="font-semibold text-accent hover:underline">
          start from your picks
        </Link>
        .
      </p>
    </>
  ),
});
