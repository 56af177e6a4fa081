// Shared by the onboarding picker (browser) and its server action.

/** How many favourites a new account picks before its first recommendations. */
export const MIN_PICKS = 5;
export const MAX_PICKS = 50;

export type OnboardingState = { error?: string };

/** What the picker says when a pick past MAX_PICKS is refused. */
export const PICK_LIMIT_MESSAGE = `You can pick up to ${MAX_PICKS} films. Unpick one to choose another.`;

/**
 * Pick a film, or unpick it when it is picked already. A pick past MAX_PICKS is refused (the
 * server action would refuse the lot), and the picker says so: `refused`, the picks unchanged.
 */
export function togglePick<T extends { id: number }>(picks: ReadonlyMap<number, T>, movie: T): { picks: Map<number, T>; refused: boolean } {
  const next = new Map(picks);
  if (next.has(movie.id)) next.delete(movie.id);
  else if (next.size >= MAX_PICKS) return { picks: next, refused: true };
  else next.set(movie.id, movie);
  return { picks: next, refused: false };
}
