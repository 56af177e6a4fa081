// The simulator's only contact with the database: read the catalog it simulates over, write the
// users it generated. The generator itself (generate.ts) stays pure.
import { asc, eq } from "drizzle-orm";
import { transaction, type Db } from "@/lib/db";
import { movieGenres, movies } from "@/lib/db/schema";
import {
  countInteractionsIn,
  ensureUsers,
  interactionKey,
  pruneInteractions,
  upsertInteractions,
  type UpsertInteractionRow,
} from "@/lib/interactions/queries";
import type { SimItem, SimUser } from "./generate";

/** Real (non-placeholder) catalog movies in id order, so the same catalog gives the same world. */
export async function loadSimulationCatalog(db: Db): Promise<SimItem[]> {
  const rows = await db
    .select({
      id: movies.id,
      voteAverage: movies.voteAverage,
      voteCount: movies.voteCount,
      popularity: movies.popularity,
      runtime: movies.runtime,
      year: movies.year,
      language: movies.originalLanguage,
    })
    .from(movies)
    .where(eq(movies.placeholder, false))
    .orderBy(asc(movies.id));
  const genresByMovie = new Map<number, number[]>();
  for (const l of await db.select().from(movieGenres).orderBy(asc(movieGenres.movieId), asc(movieGenres.genreId))) {
    const list = genresByMovie.get(l.movieId);
    if (list) list.push(l.genreId);
    else genresByMovie.set(l.movieId, [l.genreId]);
  }
  return rows.map((r) => ({ ...r, genreIds: genresByMovie.get(r.id) ?? [] }));
}

export type WriteCounts = { usersCreated: number; interactionsAdded: number; interactionsUpdated: number; interactionsRemoved: number };

/**
 * Write one batch of simulated users in one transaction: users upserted by `sim:<n>`, their
 * interactions upserted, and any simulated interaction of theirs that this run did not generate
 * (or generated at another time, such as an A/B traffic visit's) removed, so each user's history
 * is exactly what the seed produces.
 */
export async function writeSimulatedUsers(db: Db, batch: SimUser[]): Promise<WriteCounts> {
  return transaction(async (tx) => {
      const { ids, created } = await ensureUsers(
        tx,
        batch.map((u) => ({ externalId: u.externalId, source: "simulated" as const, name: `Simulated user ${u.index + 1}` })),
      );
      const rows: UpsertInteractionRow[] = [];
      // each generated (movie, kind) with the time its row is to have (the newest, as the upsert keeps)
      const keep = new Map<number, Map<string, number>>();
      for (const u of batch) {
        const userId = ids.get(u.externalId)!;
        const keys = new Map<string, number>();
        for (const i of u.interactions) {
          rows.push({ userId, movieId: i.movieId, kind: i.kind, value: i.value, watchSeconds: i.watchSeconds, source: "simulated", createdAt: i.createdAt });
          const key = interactionKey(i.movieId, i.kind);
          keys.set(key, Math.max(keys.get(key) ?? -Infinity, i.createdAt));
        }
        keep.set(userId, keys);
      }
      const userIds = [...keep.keys()];
      const before = await countInteractionsIn(tx, userIds);
      const removed = await pruneInteractions(tx, "simulated", keep);
      const written = await upsertInteractions(tx, rows);
      const added = (await countInteractionsIn(tx, userIds)) - before + removed;
      return { usersCreated: created, interactionsAdded: added, interactionsUpdated: written - added, interactionsRemoved: removed };
  }, db);
}
