import { inArray, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { genres, movieGenres, movies } from "@/lib/db/schema";
import type { CatalogMovieInput } from "./schemas";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

function writeGenres(tx: Tx, list: { id: number; name: string }[]): void {
  for (const g of list) {
    tx.insert(genres).values(g).onConflictDoUpdate({ target: genres.id, set: { name: g.name } }).run();
  }
}

/** Insert or rename genres by TMDB id (the crawl's genre list). */
export async function upsertGenres(db: Db, list: { id: number; name: string }[]): Promise<void> {
  if (list.length === 0) return;
  db.transaction((tx) => writeGenres(tx, list));
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
  return db.transaction((tx) => {
    let added = 0;
    const ids = input.map((m) => m.id);
    const existing = new Set<number>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = tx
        .select({ id: movies.id })
        .from(movies)
        .where(inArray(movies.id, ids.slice(i, i + 500)))
        .all();
      for (const r of rows) existing.add(r.id);
    }
    const seenGenres = new Map<number, string>();
    for (const m of input) for (const g of m.genres) seenGenres.set(g.id, g.name);
    writeGenres(tx, [...seenGenres].map(([id, name]) => ({ id, name })));
    for (const m of input) {
      const row = {
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
        placeholder: false,
      };
      tx.insert(movies)
        .values(row)
        .onConflictDoUpdate({
          target: movies.id,
          set: {
            ...row,
            posterPath: sql`coalesce(${row.posterPath}, ${movies.posterPath})`,
            updatedAt: Date.now(),
          },
        })
        .run();
      tx.delete(movieGenres).where(sql`${movieGenres.movieId} = ${m.id}`).run();
      if (m.genres.length) {
        tx.insert(movieGenres)
          .values(m.genres.map((g) => ({ movieId: m.id, genreId: g.id })))
          .onConflictDoNothing()
          .run();
      }
      if (!existing.has(m.id)) added++;
    }
    return { added, updated: input.length - added };
  });
}
