import type { Metadata } from "next";
import Link from "next/link";
import { ownListPage } from "@/components/account/own-list-page";
import { LikeToggle } from "@/components/movies/like-toggle";
import { listUserLikes } from "@/lib/interactions/user-lists";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Likes" };

export default ownListPage({
  path: "/me/likes",
  title: "Likes",
  load: listUserLikes,
  intro: "Films you like show up here.",
  order: "latest liked first",
  testId: "my-likes",
  toggle: (m) => <LikeToggle movieId={m.id} initial title={m.title} />,
  empty: (
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
  ),
});
