"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { MAX_PICKS, MIN_PICKS, type OnboardingState } from "@/components/onboarding/picks";
import { getSessionUser, signInPath } from "@/lib/auth";
import { safeCallbackUrl } from "@/lib/auth/schemas";
import { movieIdSchema } from "@/lib/catalog/schemas";
import { ApiError } from "@/lib/http/errors";
import { recordOnboardingPicks } from "@/lib/interactions/user-lists";
import { logError } from "@/lib/util/log";

const picksSchema = z.array(movieIdSchema).min(MIN_PICKS).max(MAX_PICKS);
const initialSchema = z.array(movieIdSchema).max(MAX_PICKS);

// Onboarding form — record the picked favourites as likes (and take back the likes of films
// un-picked since the page opened), then go home (or back to `next`).
export async function saveOnboardingPicks(_prev: OnboardingState, form: FormData): Promise<OnboardingState> {
  const user = await getSessionUser();
  if (!user) redirect(signInPath("/onboarding"));
  const picks = picksSchema.safeParse([...new Set(form.getAll("movieId"))]);
  if (!picks.success) return { error: `Pick at least ${MIN_PICKS} films you like (at most ${MAX_PICKS}).` };
  const initial = initialSchema.safeParse([...new Set(form.getAll("initialPick"))]);
  try {
    await recordOnboardingPicks(user.id, picks.data, initial.success ? initial.data : []);
  } catch (err) {
    if (err instanceof ApiError && err.code === "not_found") return { error: "One of those films is no longer in the catalog. Pick another." };
    logError("onboarding: saving picks failed", err);
    return { error: "We couldn't save your picks. Try again." };
  }
  redirect(safeCallbackUrl(form.get("next")));
}
