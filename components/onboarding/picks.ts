// Shared by the onboarding picker (browser) and its server action.

/** How many favourites a new account picks before its first recommendations. */
export const MIN_PICKS = 5;
export const MAX_PICKS = 50;

export type OnboardingState = { error?: string };
