import { redirect } from "next/navigation";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// /movies has no list of its own (it was a 404): the catalog is browsed and searched at /search,
// where a query string (/movies?genre=Horror) is taken along. A 307, not a 308: a browser would
// keep a permanent redirect even if /movies became a page of its own. No loading boundary sits
// above this route (see [id]/page.tsx), so the redirect is a real HTTP one.
export default async function MoviesIndexPage({ searchParams }: Props) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) query.append(key, v);
  }
  const search = query.toString();
  redirect(search ? `/search?${search}` : "/search");
}
