import { FallbackNotice } from "@/components/home/fallback-notice";
import { OnboardingPrompt } from "@/components/home/onboarding-prompt";
import { SignInInvite } from "@/components/home/sign-in-invite";
import { CardGrid } from "@/components/movies/card-grid";
import { MovieRow } from "@/components/movies/movie-row";
import { cookies } from "next/headers";
import { ACCOUNT_DELETED_COOKIE } from "@/lib/account/messages";
import { getSessionUser } from "@/lib/auth";
import { RECOMMENDATION_CLICK_QUERY } from "@/lib/experiments/clicks";
import { getPersonalFeed, getSignedOutFeed } from "@/lib/recs/home";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ account?: string | string[] }> };

export default async function HomePage({ searchParams }: Props) {
  const user = await getSessionUser();
  // where deleting an account lands, in the browser that deleted it (lib/account/actions.ts)
  const deleted = !user && (await searchParams).account === "deleted" && (await cookies()).has(ACCOUNT_DELETED_COOKIE);
  const { grid, rows, hasHistory } = user ? await getPersonalFeed(user.id) : await getSignedOutFeed();
  return (
    <>
      {deleted && (
        <p role="status" data-testid="account-deleted" className="mb-6 rounded-lg bg-ink-800 px-4 py-3 text-sm text-zinc-200 ring-1 ring-white/10">
          Your account, your ratings, watches, likes and watchlist, and the recommendations made for you are deleted.
        </p>
      )}
      {!user && <SignInInvite />}
      {user && !hasHistory && <OnboardingPrompt />}
      <section aria-labelledby="home-title" data-testid="home-grid" data-source={grid.source}>
        <div className="mb-5">
          <h1 id="home-title" className="text-2xl font-extrabold tracking-tight sm:text-3xl">
            {grid.title}
          </h1>
          <p className="mt-1 text-sm text-zinc-400">{grid.subtitle}</p>
        </div>
        {grid.notice && <FallbackNotice message={grid.notice} />}
        <CardGrid
          movies={grid.movies}
          notes={grid.notes}
          linkQuery={grid.source === "model" || grid.source === "folded_in" ? `?${RECOMMENDATION_CLICK_QUERY}` : undefined}
          emptyMessage="The catalog is empty. Run `npm run prepare-data` to load it."
        />
      </section>
      {rows.map((row) => (
        <MovieRow key={row.key} id={row.key} title={row.title} movies={row.movies} href={row.href} linkLabel={row.linkLabel} />
      ))}
    </>
  );
}
