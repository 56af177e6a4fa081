import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "@/lib/simulate/random";
import { getDb } from "@/lib/db";
import { interactions, users } from "@/lib/db/schema";
import { computeDrift } from "@/lib/mlops/drift";
import { invalidateServingSnapshot } from "@/lib/mlops/registry";
import { useTrainedDb } from "../../helpers/trained-db";

// Drift must tell a change in who watches what from the mere passing of time. Traffic that looks
// like the training data (the same users, each about as active as before, on movies as popular as
// the ones they watched) is not drift; the same amount of traffic from new users is.

let tmp: Awaited<ReturnType<typeof useTrainedDb>>;
beforeAll(async () => {
  invalidateServingSnapshot();
  tmp = await useTrainedDb({ users: 150, model: "popularity" });
}, 120_000);
afterAll(() => tmp.cleanup());

describe("computeDrift on steady traffic", () => {
  it("the trained users going on as before (one new watch for every tenth past interaction) is not drift", async () => {
    const db = getDb();
    const past = await db.select({ userId: interactions.userId, movieId: interactions.movieId }).from(interactions);
    const seen = new Set(past.map((r) => `${r.userId}:${r.movieId}`));
    // movies by training popularity: a replacement watch goes to the next film down the list the user has not seen
    const counts = new Map<number, number>();
    for (const r of past) counts.set(r.movieId, (counts.get(r.movieId) ?? 0) + 1);
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([m]) => m);
    const rankOf = new Map(ranked.map((m, i) => [m, i]));
    const random = mulberry32(11);
    const later = Date.now() + 1000;
    const rows = [];
    for (const r of past) {
      if (random() >= 0.1) continue;
      let i = rankOf.get(r.movieId)!;
      while (i < ranked.length && seen.has(`${r.userId}:${ranked[i]}`)) i++;
      if (i === ranked.length) continue;
      seen.add(`${r.userId}:${ranked[i]}`);
      rows.push({ userId: r.userId, movieId: ranked[i], kind: "watch" as const, source: "app" as const, createdAt: later });
    }
    for (let i = 0; i < rows.length; i += 500) await db.insert(interactions).values(rows.slice(i, i + 500));

    const steady = await computeDrift();
    expect(steady.recentInteractions).toBe(rows.length);
    expect(steady.recentInteractions).toBeGreaterThan(150);
    expect(steady.psi!.activity).toBeLessThan(0.1);
    expect(steady.drifted).toBe(false);

    // as many watches of the same films from users the model has never seen: the activity axis sees it
    const movies = rows.map((r) => r.movieId);
    for (let u = 0; u * 10 < movies.length; u++) {
      const [user] = await db.insert(users).values({ name: `newcomer ${u}` }).returning();
      await db.insert(interactions).values([...new Set(movies.slice(u * 10, u * 10 + 10))].map((movieId) => ({ userId: user.id, movieId, kind: "watch" as const, source: "app" as const, createdAt: later })));
    }
    const newcomers = await computeDrift();
    expect(newcomers.psi!.activity).toBeGreaterThan(0.25);
    expect(newcomers.drifted).toBe(true);
  });
});
