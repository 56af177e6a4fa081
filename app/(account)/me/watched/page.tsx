import type { Metadata } from "next";
import Link from "next/link";
import { ownListPage } from "@/components/account/own-list-page";
import { WatchedButton } from "@/components/movies/watched-button";
import { listUserWatched } from "@/lib/interactions/user-lists";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Watched" };

export default ownListPage({
  path: "/me/watched",
  title: "Watched",
  load: listUserWatched,
  intro: "Films you mark as watched show up here.",
  order: "latest watched first",
  testId: "my-watched",
  toggle: (m) => <WatchedButton movieId={m.id} initial title={m.title} />,
  empty: (
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
  ),
});
