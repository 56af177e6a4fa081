import type { Metadata } from "next";
import { OnboardingPicker } from "@/components/onboarding/onboarding-picker";
import { MAX_PICKS, MIN_PICKS } from "@/components/onboarding/picks";
import { requireUserPage } from "@/lib/auth";
import { safeCallbackUrl } from "@/lib/auth/schemas";
import { listVariedPopularMovies } from "@/lib/catalog/home";
import { listLikedMovies } from "@/lib/interactions/user-lists";
import { saveOnboardingPicks } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Pick your favourites" };

type Props = { searchParams: Promise<{ next?: string | string[] }> };

export default async function OnboardingPage({ searchParams }: Props) {
  const rawNext = (await searchParams).next;
  const next = safeCallbackUrl(Array.isArray(rawNext) ? rawNext[0] : rawNext);
  const user = await requireUserPage(next === "/" ? "/onboarding" : `/onboarding?${new URLSearchParams({ next })}`);
  // Coming back later: the films already liked start out picked (also those found by title).
  const [candidates, liked] = await Promise.all([listVariedPopularMovies(4), listLikedMovies(user.id, MAX_PICKS)]);
  return (
    <section aria-labelledby="onboarding-title">
      <h1 id="onboarding-title" className="text-2xl font-extrabold tracking-tight sm:text-3xl">
        Pick {MIN_PICKS} films you like
      </h1>
      <p className="mb-6 mt-1 max-w-2xl text-sm text-zinc-400">
        Choose at least {MIN_PICKS} from the grid or find them by title. Your recommendations are ready the moment you continue.
      </p>
      <OnboardingPicker
        candidates={candidates}
        initialPicks={liked}
        next={next}
        action={saveOnboardingPicks}
      />
    </section>
  );
}
