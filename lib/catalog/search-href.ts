// The search page's URLs, built in one place for the page (its pagination, its redirects) and for
// the search form in the browser: so this module must not import anything server-only.

/** The sort the search page uses when the URL names none. */
export const DEFAULT_SEARCH_SORT = "relevance";

export type SearchHrefParams = {
  query?: string;
  genre?: string;
  /** A number from the page, the field's text from the form. */
  year?: number | string;
  sort?: string;
  page?: number;
};

/**
 * `/search?…` with only what changes the results: an empty field, the default sort and page 1 are
 * left out, since the page reads their absence the same way (`/search?query=alien`, not
 * `?query=alien&genre=&year=&sort=relevance`). The parameters keep the form's order.
 */
export function searchPageHref({ query, genre, year, sort, page }: SearchHrefParams): string {
  const params = new URLSearchParams();
  const text = (value: string | number | undefined) => (value === undefined ? "" : String(value).trim());
  if (text(query)) params.set("query", text(query));
  if (text(genre)) params.set("genre", text(genre));
  if (text(year)) params.set("year", text(year));
  if (text(sort) && text(sort) !== DEFAULT_SEARCH_SORT) params.set("sort", text(sort));
  if (page !== undefined && page > 1) params.set("page", String(page));
  const search = params.toString();
  return search ? `/search?${search}` : "/search";
}
