import { inArray, sql } from "drizzle-orm";
import { transaction, type Db } from "@/lib/db";
import { genres, movieGenres, movies } from "@/lib/db/schema";
import { forgetCatalog, markCatalogChanged } from "./generation";
import { searchTextOf } from "./search-text";
import type { CatalogMovieInput } from "./schemas";

const BATCH = 200; // movies per multi-row statement

async function writeGenres(tx: Db, list: { id: number; name: string }[]): Promise<void> {
  if (list.length === 0) return;
  await tx
    .insert(genres)
    .values(list)
    .onConflictDoUpdate({ target: genres.id, set: { name: sql`excluded.name` } });
}

/** Insert or rename genres by TMDB id (the crawl's genre list). */
export async function upsertGenres(db: Db, list: { id: number; name: string }[]): Promise<void> {
  if (list.length === 0) return;
  try {
    await transaction(async (tx) => {
      await writeGenres(tx, list);
      await markCatalogChanged(tx);
    }, db);
  } finally {
    forgetCatalog(); // again once committed (or rolled back): nothing read meanwhile is kept
  }
}

export type UpsertResult = { added: number; updated: number };

function yearOf(date: string | null | undefined): number | null {
  return date ? Number(date.slice(0, 4)) : null;
}

/**
 * Insert or update movies (and their genres) by TMDB id in one transaction.
 * Idempotent: running it twice with the same input changes nothing the second time.
 * A movie whose input has no poster keeps the poster it already had.
 */
export async function upsertMovies(db: Db, input: CatalogMovieInput[]): Promise<UpsertResult> {
  if (input.length === 0) return { added: 0, updated: 0 };
  // The last entry wins when the input names a movie twice (one row per id per statement).
  const byId = new Map(input.map((m) => [m.id, m]));
  const list = [...byId.values()];
  try {
    return await writeMovies(db, list, input.length);
  } finally {
    forgetCatalog(); // again once committed (or rolled back): nothing read meanwhile is kept
  }
}

async function writeMovies(db: Db, list: CatalogMovieInput[], inputLength: number): Promise<UpsertResult> {
  return transaction(async (tx) => {
    const existing = new Set<number>();
    const ids = list.map((m) => m.id);
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await tx
        .select({ id: movies.id })
        .from(movies)
        .where(inArray(movies.id, ids.slice(i, i + 500)));
      for (const r of rows) existing.add(r.id);
    }
    const seenGenres = new Map<number, string>();
    for (const m of list) for (const g of m.genres) seenGenres.set(g.id, g.name);
    await writeGenres(tx, [...seenGenres].map(([id, name]) => ({ id, name })));
    const now = Date.now();
    for (let i = 0; i < list.length; i += BATCH) {
      const batch = list.slice(i, i + BATCH);
      await tx
        .insert(movies)
        .values(
          batch.map((m) => ({
            id: m.id,
            title: m.title,
            originalTitle: m.original_title ?? null,
            originalLanguage: m.original_language ?? null,
            releaseDate: m.release_date ?? null,
            year: yearOf(m.release_date),
            runtime: m.runtime ?? null,
            popularity: m.popularity ?? 0,
            voteAverage: m.vote_average ?? 0,
            voteCount: m.vote_count ?? 0,
            posterPath: m.poster_path ?? null,
            searchText: searchTextOf({ title: m.title, originalTitle: m.original_title ?? null }),
            placeholder: false,
            updatedAt: now,
          })),
        )
        .onConflictDoUpdate({
          target: movies.id,
          set: {
            title: sql`excluded.title`,
            searchText: sql`excluded.search_text`,
            originalTitle: sql`excluded.original_title`,
            originalLanguage: sql`excluded.original_language`,
            releaseDate: sql`excluded.release_date`,
            year: sql`excluded.year`,
            runtime: sql`excluded.runtime`,
            popularity: sql`excluded.popularity`,
            voteAverage: sql`excluded.vote_average`,
            voteCount: sql`excluded.vote_count`,
            posterPath: sql`coalesce(excluded.poster_path, ${movies.posterPath})`,
            placeholder: sql`excluded.placeholder`,
            updatedAt: sql`excluded.updated_at`,
          },
        });
      await tx.delete(movieGenres).where(
        inArray(
          movieGenres.movieId,
          batch.map((m) => m.id),
        ),
      );
      const links = batch.flatMap((m) => m.genres.map((g) => ({ movieId: m.id, genreId: g.id })));
      if (links.length) await tx.insert(movieGenres).values(links).onConflictDoNothing();
    }
    await markCatalogChanged(tx);
    const added = list.filter((m) => !existing.has(m.id)).length;
    return { added, updated: inputLength - added };
  }, db);
}
