// What bench:anchors measures: how many of a new user's likes the fold-in picks are explained by
// ("Because you liked X"). Synthetic onboarding histories, and per-list anchor counts. Pure.
import { mulberry32 } from "@/lib/simulate/random";

export type PoolFilm = { id: number; genres: readonly string[] };

/**
 * `users` onboarding-like histories of `likes` films each, as a new account picks them from the
 * varied grid: for each like, a genre not used yet (in a shuffled order of `genres`), then a film
 * of that genre from `pool` not picked yet. Genres with no film left are skipped, so a history is
 * shorter than `likes` only when the pool runs out of genres. Seeded: the same arguments give the
 * same histories.
 */
export function sampleOnboardingHistories(pool: readonly PoolFilm[], genres: readonly string[], opts: { users: number; likes: number; seed: number }): number[][] {
  const rng = mulberry32(opts.seed);
  const out: number[][] = [];
  for (let u = 0; u < opts.users; u++) {
    const order = [...genres];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const picked: number[] = [];
    for (const genre of order) {
      if (picked.length === opts.likes) break;
      const films = pool.filter((f) => f.genres.includes(genre) && !picked.includes(f.id));
      if (films.length > 0) picked.push(films[Math.floor(rng() * films.length)].id);
    }
    out.push(picked);
  }
  return out;
}

export type AnchorCounts = { anchorId: number; picks: number }[];

/** How many picks each anchor explains in one list, most first (ties: lower id first). */
export function countAnchors(picks: readonly { anchorId: number }[]): AnchorCounts {
  const counts = new Map<number, number>();
  for (const p of picks) counts.set(p.anchorId, (counts.get(p.anchorId) ?? 0) + 1);
  return [...counts].map(([anchorId, n]) => ({ anchorId, picks: n })).sort((a, b) => b.picks - a.picks || a.anchorId - b.anchorId);
}

export type AnchorDiversity = {
  /** Lists with at least one pick (the means are over these). */
  lists: number;
  /** Mean list length. */
  picks: number;
  /** Mean share of a list explained by its most frequent anchor. */
  topAnchorShare: number;
  /** Mean number of the history's films that explain at least one pick. */
  likesAsAnchors: number;
  /** Share of lists where one film explains more than half of the picks. */
  dominated: number;
};

export function anchorDiversity(lists: readonly (readonly { anchorId: number }[])[]): AnchorDiversity {
  let n = 0;
  let picks = 0;
  let share = 0;
  let anchors = 0;
  let dominated = 0;
  for (const list of lists) {
    if (list.length === 0) continue;
    const counts = countAnchors(list);
    n++;
    picks += list.length;
    share += counts[0].picks / list.length;
    anchors += counts.length;
    if (counts[0].picks * 2 > list.length) dominated++;
  }
  const mean = (x: number) => (n === 0 ? 0 : x / n);
  return { lists: n, picks: mean(picks), topAnchorShare: mean(share), likesAsAnchors: mean(anchors), dominated: mean(dominated) };
}
