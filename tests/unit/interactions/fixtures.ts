import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { asc } from "drizzle-orm";
import type { CatalogMovieInput } from "@/lib/catalog/schemas";
import type { Db } from "@/lib/db";
import { interactions, movies, users } from "@/lib/db/schema";

/** Catalog movies with the given TMDB ids. */
export function catalogMovies(ids: number[]): CatalogMovieInput[] {
  return ids.map((id) => ({
    id,
    title: `Movie ${id}`,
    genres: [{ id: 18, name: "Drama" }],
    runtime: 100,
    popularity: id % 50,
    vote_average: 6.5,
    vote_count: 100,
  }));
}

export function writeFile(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/**
 * A fingerprint of everything an import may change (users, interactions, movies): equal
 * fingerprints mean the import left the data exactly as it was.
 */
export async function dataFingerprint(db: Db): Promise<{ users: number; interactions: number; movies: number; sha: string }> {
  const u = await db.select().from(users).orderBy(asc(users.id));
  const i = await db.select().from(interactions).orderBy(asc(interactions.id));
  const m = await db.select().from(movies).orderBy(asc(movies.id));
  const sha = createHash("sha256").update(JSON.stringify([u, i, m])).digest("hex");
  return { users: u.length, interactions: i.length, movies: m.length, sha };
}
