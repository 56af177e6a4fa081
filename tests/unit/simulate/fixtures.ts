import fs from "node:fs";
import path from "node:path";
import type { CatalogMovieInput } from "@/lib/catalog/schemas";
import type { SimItem, SimUser } from "@/lib/simulate/generate";

/** The bundled catalog as the simulator sees it (read from the repo, no database). */
export function bundledSimItems(): SimItem[] {
  const raw = JSON.parse(fs.readFileSync(path.join(process.cwd(), "drizzle", "seed", "tmdb-catalog.json"), "utf8")) as CatalogMovieInput[];
  return raw.map((m) => ({
    id: m.id,
    voteAverage: m.vote_average ?? 0,
    voteCount: m.vote_count ?? 0,
    popularity: m.popularity ?? 0,
    runtime: m.runtime ?? null,
    genreIds: m.genres.map((g) => g.id),
    year: m.release_date ? Number(m.release_date.slice(0, 4)) : null,
    language: m.original_language ?? null,
  }));
}

/** A small catalog for database tests: `n` movies with a few genres, ids 1..n. */
export function smallCatalog(n: number): CatalogMovieInput[] {
  const genres = [
    { id: 28, name: "Action" },
    { id: 35, name: "Comedy" },
    { id: 18, name: "Drama" },
    { id: 27, name: "Horror" },
    { id: 878, name: "Science Fiction" },
  ];
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    title: `Movie ${i + 1}`,
    original_language: i % 3 === 0 ? "fr" : "en",
    release_date: `${1970 + (i % 50)}-01-01`,
    genres: [genres[i % 5], genres[(i * 7) % 5]].filter((g, k, all) => all.findIndex((x) => x.id === g.id) === k),
    runtime: 80 + (i % 60),
    popularity: 1 + ((i * 37) % 100),
    vote_average: 4 + ((i * 13) % 60) / 10,
    vote_count: 10 + ((i * 17) % 1000),
  }));
}

export function pearson(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Movies each user watched, in watch order. */
export function watchedLists(users: SimUser[]): number[][] {
  return users.map((u) => u.interactions.filter((i) => i.kind === "watch").map((i) => i.movieId));
}
