import Link from "next/link";
import { redirect } from "next/navigation";
import { intParam, MAX_PAGE } from "@/lib/http/params";

/**
 * A list page's `?page=`: forgiving, as page URLs are (missing or malformed: page 1), but a page
 * written in digits past MAX_PAGE is MAX_PAGE, so redirectPastLastPage sends it to the last page
 * like any other page past the end instead of showing page 1 under that URL.
 */
export function pageFromParam(raw: string | string[] | undefined): number {
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (text !== undefined && /^[1-9]\d*$/.test(text) && (text.length > 5 || Number(text) > MAX_PAGE)) return MAX_PAGE;
  return pageParam.parse(text);
}

const pageParam = intParam(1, MAX_PAGE).catch(1);

/** The number of the last page of `total` items, `pageSize` a page; 1 for an empty list. */
export function lastPage(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/**
 * For a paged list page: a request for a page past the end (an old bookmark, a list that shrank,
 * a hand-typed `?page=999`) goes to the last page, so nobody sees a count over an empty grid.
 * Does nothing when `page` is in range.
 */
export function redirectPastLastPage(list: { page: number; pageSize: number; total: number }, hrefFor: (page: number) => string): void {
  const last = lastPage(list.total, list.pageSize);
  if (list.page > last) redirect(hrefFor(last));
}

/** Previous / next links for a paged list; `hrefFor(page)` builds each page's URL. */
export function Pagination({
  page,
  pageSize,
  total,
  hrefFor,
  label = "Pages",
}: {
  page: number;
  pageSize: number;
  total: number;
  hrefFor: (page: number) => string;
  label?: string;
}) {
  const pages = lastPage(total, pageSize);
  if (pages <= 1) return null;
  // Pages redirect a page past the end (redirectPastLastPage); should one get here anyway, the
  // links still lead to pages that exist.
  const current = Math.min(Math.max(page, 1), pages);
  const link = "rounded-md px-4 py-2 text-sm font-semibold ring-1 ring-white/15 hover:bg-ink-800";
  const off = "rounded-md px-4 py-2 text-sm font-semibold text-zinc-600 ring-1 ring-white/5";
  return (
    <nav aria-label={label} className="mt-8 flex items-center justify-center gap-4">
      {current > 1 ? (
        <Link href={hrefFor(current - 1)} rel="prev" className={link}>
          ← Previous
        </Link>
      ) : (
        <span aria-hidden className={off}>
          ← Previous
        </span>
      )}
      <span className="text-sm text-zinc-400">
        Page {current} of {pages}
      </span>
      {current < pages ? (
        <Link href={hrefFor(current + 1)} rel="next" className={link}>
          Next →
        </Link>
      ) : (
        <span aria-hidden className={off}>
          Next →
        </span>
      )}
    </nav>
  );
}
