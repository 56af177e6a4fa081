// npm run bench:similar — how "More like this" lists (lib/recs/serve.ts listSimilarMovies) hang
// together, against the serving version's raw neighbour-cache order: the share of listed films
// that share a genre with the film, and the share of the film's own series (by title,
// lib/catalog/series.ts) that the list holds. In-process on DATABASE_PATH. Results: docs/evaluation.md.
import { inArray } from "drizzle-orm";
import { z } from "zod";
import { getMoviesByIds } from "@/lib/catalog/queries";
import { listSeriesSiblings } from "@/lib/catalog/series";
import { CliError, intArg, parseCliArgs, runCli } from "@/lib/cli";
import { getDb } from "@/lib/db";
import { itemNeighbors } from "@/lib/db/schema";
import { getServingSnapshot } from "@/lib/mlops/registry";
import { readNeighbors } from "@/lib/recs/cache";
import { listSimilarMovies } from "@/lib/recs/serve";

const HELP = `usage: DATABASE_PATH=... npm run bench:similar -- [--movies 500] [--k 12] [--json]

For the --movies most popular films that have cached neighbours (TMDB popularity), compares the
first --k of the raw neighbour cache with the first --k of "More like this" (listSimilarMovies,
without the popular top-up): the share of listed films sharing at least one genre with the film,
and, over the films that have a series in the catalog, the share of their series' films listed.`;

const schema = z.object({ movies: intArg(1, 100_000).default(500), k: intArg(1, 50).default(12), json: z.boolean().default(false) });

runCli(async () => {
  const args = parseCliArgs(process.argv.slice(2), { movies: { type: "string" }, k: { type: "string" }, json: { type: "boolean" } }, schema, HELP);
  const serving = await getServingSnapshot();
  if (!serving) throw new CliError("no serving model version: run npm run train first");
  const withNeighbours = await getDb().selectDistinct({ id: itemNeighbors.movieId }).from(itemNeighbors).where(inArray(itemNeighbors.modelVersionId, [serving.versionId]));
  const films = (await getMoviesByIds(withNeighbours.map((r) => r.id))).sort((a, b) => b.popularity - a.popularity || a.id - b.id).slice(0, args.movies);
  const tally = { raw: { listed: 0, sharing: 0, series: 0 }, list: { listed: 0, sharing: 0, series: 0 }, seriesFilms: 0, withSeries: 0 };
  for (const film of films) {
    const raw = ((await readNeighbors(serving.versionId, [film.id])).get(film.id) ?? []).slice(0, args.k).map((n) => n.neighborId);
    const list = (await listSimilarMovies(film.id, args.k, { topUp: false })).items.map((i) => i.id);
    const series = new Set((await listSeriesSiblings(film)).map((s) => s.id));
    if (series.size > 0) {
      tally.withSeries++;
      tally.seriesFilms += series.size;
    }
    for (const [name, ids] of [["raw", raw], ["list", list]] as const) {
      const genres = await getMoviesByIds(ids);
      tally[name].listed += genres.length;
      tally[name].sharing += genres.filter((m) => m.genres.some((g) => film.genres.includes(g))).length;
      tally[name].series += ids.filter((id) => series.has(id)).length;
    }
  }
  const pct = (a: number, b: number) => (b === 0 ? null : Math.round((1000 * a) / b) / 10);
  const result = {
    modelVersion: serving.versionId,
    films: films.length,
    k: args.k,
    filmsWithSeries: tally.withSeries,
    sharingAGenre: { rawCache: pct(tally.raw.sharing, tally.raw.listed), moreLikeThis: pct(tally.list.sharing, tally.list.listed) },
    seriesListed: { rawCache: pct(tally.raw.series, tally.seriesFilms), moreLikeThis: pct(tally.list.series, tally.seriesFilms) },
  };
  if (args.json) console.log(JSON.stringify(result));
  else {
    console.log(`serving version ${result.modelVersion}: the ${result.films} most popular films with neighbours, first ${result.k} of each list`);
    console.log(`| | raw neighbour cache | More like this |\n|---|---|---|`);
    console.log(`| listed films sharing a genre with the film | ${result.sharingAGenre.rawCache}% | ${result.sharingAGenre.moreLikeThis}% |`);
    console.log(`| the film's series listed (${result.filmsWithSeries} films with one) | ${result.seriesListed.rawCache}% | ${result.seriesListed.moreLikeThis}% |`);
  }
});
