import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { cache } from "react";
import { z } from "zod";
import { CardGrid } from "@/components/movies/card-grid";
import { Pagination, pageFromParam, redirectPastLastPage } from "@/components/movies/pagination";
import { SearchForm } from "@/components/movies/search-form";
import { movieListQuerySchema } from "@/lib/catalog/api";
import { toMovieCard } from "@/lib/catalog/card";
import { catalogGenreName } from "@/lib/catalog/genre-name";
import { listGenres, searchMovies } from "@/lib/catalog/queries";
import { DEFAULT_SEARCH_SORT, searchPageHref } from "@/lib/catalog/search-href";
import { formatCount } from "@/lib/util/format";

export const dynamic = "force-dynamic";

const PAGE_SIZE = 24;

// The API's parameter rules, but forgiving: a page URL with a bad or empty value (e.g. `year=`
// from an untouched field, or a genre the catalog does not have) ignores that filter instead of
// showing an error.
const shape = movieListQuerySchema.shape;
const searchPageSchema = z.object({
  query: shape.query.catch(undefined),
  genre: shape.genre.catch(undefined),
  year: shape.year.catch(undefined),
  sort: shape.sort.catch(DEFAULT_SEARCH_SORT),
});

/** At most `max` UTF-16 units, never splitting a character. */
function cut(text: string, max: number): string {
  let out = "";
  for (const ch of text) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}

// once a request: the page and its title both need the genres
const listGenresOnce = cache(listGenres);

type SearchParams = Record<string, string | string[] | undefined>;
type Props = { searchParams: Promise<SearchParams> };

/**
 * The search the URL asks for. `q` is read as `query` when there is no `query` (the name most
 * sites give a search box: /search?q=star, typed by hand or from a browser's site search);
 * `aliased` says so, and the page redirects to the URL under its own name.
 */
async function readSearch(searchParams: Props["searchParams"]) {
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const aliased = raw.query === undefined && raw.q !== undefined;
  if (aliased) raw.query = raw.q;
  // an over-long title search is cut to the form's 100 characters rather than dropped unseen
  if (typeof raw.query === "string") raw.query = cut(raw.query.trim(), 100);
  const parsed = { ...searchPageSchema.parse(raw), page: pageFromParam(raw.page) };
  const genres = await listGenresOnce();
  // the catalog's spelling ("action" → "Action"), so the form's dropdown shows the filter it applies
  const search = { ...parsed, genre: catalogGenreName(parsed.genre, genres.map((g) => g.name)) };
  // what the page is showing, for its summary and its title: “alien” · Horror · 1979
  const what = [search.query && `“${search.query}”`, search.genre, search.year].filter(Boolean).join(" · ");
  return { search, genres, aliased, what };
}

// The tab's title says what it is showing: “alien” · Search · Matinee (was always "Search · Matinee").
export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const { what } = await readSearch(searchParams);
  return { title: what ? `${what} · Search` : "Search" };
}

export default async function SearchPage({ searchParams }: Props) {
  const { search: q, genres, aliased, what } = await readSearch(searchParams);
  const hrefFor = (page: number) => searchPageHref({ ...q, page });
  if (aliased) redirect(hrefFor(q.page));
  const result = await searchMovies({ ...q, pageSize: PAGE_SIZE });
  const filtered = Boolean(q.query || q.genre || q.year);
  redirectPastLastPage(result, hrefFor);
  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title" className="mb-4 text-2xl font-extrabold tracking-tight sm:text-3xl">
        {filtered ? "Search" : "Browse the catalog"}
      </h1>
      {/* keyed by the search, so Back shows the filters of the results it shows (not the browser's restored field values) */}
      <SearchForm key={hrefFor(1)} query={q.query} genre={q.genre} year={q.year} sort={q.sort} genres={genres.filter((g) => g.movieCount > 0 || g.name === q.genre).map((g) => g.name)} />
      <p role="status" className="mb-4 mt-6 text-sm text-zinc-400 [overflow-wrap:anywhere]" data-testid="search-summary">
        {result.total === 0
          ? ""
          : `${formatCount(result.total, "movie")}${what ? ` for ${what}` : ""}`}
      </p>
      {result.total === 0 ? (
        <div role="status" className="rounded-lg border border-dashed border-white/10 p-10 text-center text-zinc-400 [overflow-wrap:anywhere]">
          <p>No movies match {what || "that search"}.</p>
          <p className="mt-2 text-sm">
            Try fewer words or another filter, or{" "}
            <Link href="/search" className="font-semibold text-accent hover:underline">
              browse everything
            </Link>
            .
          </p>
        </div>
      ) : (
        <CardGrid movies={result.items.map(toMovieCard)} testId="search-results" />
      )}
      <Pagination page={result.page} pageSize={result.pageSize} total={result.total} hrefFor={hrefFor} label="Search result pages" />
    </section>
  );
}
