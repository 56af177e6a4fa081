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

/** A page number to link, or a run of pages left out between two of them (shown as "…"). */
export type PageItem = number | "gap";

/**
 * The page numbers a paged list links: the first, the last, and `around` either side of the current
 * page (as many at either end, so the count stays the same: 1 2 3 … 201, 1 … 99 100 101 … 201).
 * A gap of one page shows that page rather than "…", which would take as much room.
 */
export function pageWindow(current: number, last: number, around = 1): PageItem[] {
  const lo = Math.max(1, Math.min(current - around, last - 2 * around));
  const hi = Math.min(last, Math.max(current + around, 1 + 2 * around));
  const shown = [...new Set([1, ...Array.from({ length: hi - lo + 1 }, (_, i) => lo + i), last])];
  const out: PageItem[] = [];
  shown.forEach((page, i) => {
    const before = shown[i - 1];
    if (before !== undefined && page - before === 2) out.push(before + 1);
    else if (before !== undefined && page - before > 2) out.push("gap");
    out.push(page);
  });
  return out;
}

const control = "inline-flex min-h-9 min-w-9 items-center justify-center gap-1 rounded-md px-2.5 py-1.5 text-sm font-semibold";
const link = `${control} ring-1 ring-white/15 hover:bg-ink-800`;
// Not a link, so nothing to focus or press; its text keeps AA contrast (zinc-400 on ink-950 is
// about 7.6:1; the zinc-600 it had was 2.59:1, QA's axe run) and a dashed border marks it inactive.
const inactive = `${control} border border-dashed border-white/10 text-zinc-400`;
const current = `${control} bg-accent text-black ring-1 ring-accent`;

/**
 * Page links for a paged list: previous / next, the first and last pages and the pages around the
 * current one (pageWindow; on a phone, the current one only), the current marked
 * `aria-current="page"`; `hrefFor(page)` builds each page's URL. At either end, Previous or Next stays in place as plain text, hidden from screen
 * readers (they hear the list of pages and "Page 1 of 201").
 */
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
  const at = Math.min(Math.max(page, 1), pages);
  const pageItem = (item: PageItem, i: number, which: string, className: string) =>
    item === "gap" ? (
      <li key={`${which}-gap-${i}`} className={`px-1 text-sm text-zinc-400 ${className}`}>
        …
      </li>
    ) : (
      <li key={`${which}-${item}`} className={className}>
        <Link href={hrefFor(item)} aria-label={`Page ${item}`} aria-current={item === at ? "page" : undefined} className={item === at ? current : link}>
          {item}
        </Link>
      </li>
    );
  return (
    <nav aria-label={label} className="mt-8">
      <ul className="flex flex-wrap items-center justify-center gap-1.5">
        {at > 1 ? (
          <li>
            <Link rel="prev" href={hrefFor(at - 1)} className={link}>
              ← <span className="max-sm:sr-only">Previous</span>
            </Link>
          </li>
        ) : (
          <li aria-hidden>
            <span className={inactive}>
              ← <span className="max-sm:sr-only">Previous</span>
            </span>
          </li>
        )}
        {/* One page either side of the current one; on a phone none, so the links fit one line
            (two lists, one of them display:none, so neither is read where it is not shown). */}
        {pageWindow(at, pages, 1).map((item, i) => pageItem(item, i, "wide", "max-sm:hidden"))}
        {pageWindow(at, pages, 0).map((item, i) => pageItem(item, i, "narrow", "sm:hidden"))}
        {at < pages ? (
          <li>
            <Link rel="next" href={hrefFor(at + 1)} className={link}>
              <span className="max-sm:sr-only">Next</span> →
            </Link>
          </li>
        ) : (
          <li aria-hidden>
            <span className={inactive}>
              <span className="max-sm:sr-only">Next</span> →
            </span>
          </li>
        )}
      </ul>
      <p className="mt-3 text-center text-sm text-zinc-400">
        Page {at} of {pages}
      </p>
    </nav>
  );
}
