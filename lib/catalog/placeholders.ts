import { inArray } from "drizzle-orm";
import { affectedRows, type Db } from "@/lib/db";
import { movies } from "@/lib/db/schema";
import { markCatalogChanged } from "./generation";
import { searchTextOf } from "./search-text";

// Catalog lookups the importer needs inside its own transaction, so `db` may be a transaction handle.

const CHUNK = 500;

/** Which of `ids` are movies in the catalog. */
export async function listExistingMovieIds(db: Db, ids: Iterable<number>): Promise<Set<number>> {
  const all = [...ids];
  const found = new Set<number>();
  for (let i = 0; i < all.length; i += CHUNK) {
    for (const r of await db.select({ id: movies.id }).from(movies).where(inArray(movies.id, all.slice(i, i + CHUNK)))) found.add(r.id);
  }
  return found;
}

/**
 * Stand-in movies for imported ids the catalog lacks ("TMDB #123", placeholder = true), so their
 * interactions can be kept until a crawl fills in the facts. Existing movies are left alone.
 */
export async function createPlaceholderMovies(db: Db, ids: Iterable<number>): Promise<number> {
  const all = [...ids];
  let created = 0;
  for (let i = 0; i < all.length; i += CHUNK) {
    created += affectedRows(
      await db
        .insert(movies)
        .values(all.slice(i, i + CHUNK).map((id) => ({ id, title: `TMDB #${id}`, searchText: searchTextOf({ title: `TMDB #${id}`, originalTitle: null }), placeholder: true })))
        .onConflictDoNothing({ target: movies.id }),
    );
  }
  if (created > 0) await markCatalogChanged(db);
  return created;
}
