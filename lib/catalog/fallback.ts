import fs from "node:fs";
import type { MovieCard } from "./card";
import { toMovieCard } from "./card";
import { seedCatalogPath } from "./seed-path";

type SeedMovie = {
  id: number;
  title: string;
  release_date: string | null;
  genres: { name: string }[];
  vote_average: number | null;
  vote_count: number | null;
};

let seedCache: SeedMovie[] | undefined;

/**
 * Random picks straight from the bundled catalog file: the grid's last resort when the database
 * itself cannot answer. Only well-known films (enough votes) so the fallback still looks curated.
 */
export function randomCardsFromSeed(k: number): MovieCard[] {
  try {
    seedCache ??= (JSON.parse(fs.readFileSync(seedCatalogPath(), "utf8")) as SeedMovie[]).filter(
      (m) => (m.vote_count ?? 0) >= 500,
    );
  } catch {
    return [];
  }
  const pool = seedCache;
  const picked = new Set<number>();
  while (picked.size < Math.min(k, pool.length)) picked.add(Math.floor(Math.random() * pool.length));
  return [...picked].map((i) => {
    const m = pool[i];
    return toMovieCard({
      id: m.id,
      title: m.title,
      year: m.release_date ? Number(m.release_date.slice(0, 4)) : null,
      genres: m.genres.map((g) => g.name),
      voteAverage: m.vote_average ?? 0,
      posterPath: null,
    });
  });
}
