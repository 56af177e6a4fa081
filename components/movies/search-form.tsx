"use client";

import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { searchPageHref } from "@/lib/catalog/search-href";

/**
 * The search page's form: a plain GET form, so it works before any script loads and every search
 * is a shareable URL (/search?query=alien&genre=Horror&year=1979). Once the script has loaded, a
 * submit goes to that URL without the fields left empty or at their default
 * (`?query=alien`, not `?query=alien&genre=&year=&sort=relevance`), as a client navigation.
 */
export function SearchForm({
  query,
  genre,
  year,
  sort,
  genres,
}: {
  query?: string;
  genre?: string;
  year?: number;
  sort: string;
  genres: string[];
}) {
  const router = useRouter();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const value = (name: string) => String(data.get(name) ?? "");
    router.push(searchPageHref({ query: value("query"), genre: value("genre"), year: value("year"), sort: value("sort") }));
  };
  const label = "block text-sm font-semibold text-zinc-300";
  const field = "mt-1 w-full rounded-md bg-ink-800 px-3 py-2 text-sm text-zinc-100 ring-1 ring-white/10 placeholder:text-zinc-400";
  return (
    <form role="search" action="/search" method="get" autoComplete="off" onSubmit={submit} className="grid grid-cols-2 gap-3 sm:grid-cols-[minmax(0,1fr)_12rem_7rem_9rem_auto] sm:items-end">
      <div className="col-span-2 sm:col-span-1">
        <label htmlFor="search-query" className={label}>
          Title
        </label>
        <input id="search-query" type="search" name="query" defaultValue={query} maxLength={100} placeholder="Search by title" className={field} />
      </div>
      <div>
        <label htmlFor="search-genre" className={label}>
          Genre
        </label>
        <select id="search-genre" name="genre" defaultValue={genre ?? ""} className={field}>
          <option value="">Any genre</option>
          {genres.map((g) => (
            <option key={g} value={g}>
              {g}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="search-year" className={label}>
          Year
        </label>
        <input id="search-year" type="number" name="year" inputMode="numeric" min={1870} max={2100} defaultValue={year} placeholder="Any" className={field} />
      </div>
      <div>
        <label htmlFor="search-sort" className={label}>
          Sort by
        </label>
        <select id="search-sort" name="sort" defaultValue={sort} className={field}>
          <option value="relevance">Best match</option>
          <option value="popularity">Popularity</option>
          <option value="rating">TMDB rating</option>
          <option value="year">Newest</option>
          <option value="title">Title</option>
        </select>
      </div>
      <button type="submit" className="self-end rounded-md bg-accent px-4 py-2 text-sm font-semibold text-black hover:brightness-110">
        Search
      </button>
    </form>
  );
}
