import Link from "next/link";

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
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const link = "rounded-md px-4 py-2 text-sm font-semibold ring-1 ring-white/15 hover:bg-ink-800";
  const off = "rounded-md px-4 py-2 text-sm font-semibold text-zinc-600 ring-1 ring-white/5";
  return (
    <nav aria-label={label} className="mt-8 flex items-center justify-center gap-4">
      {page > 1 ? (
        <Link href={hrefFor(page - 1)} rel="prev" className={link}>
          ← Previous
        </Link>
      ) : (
        <span aria-hidden className={off}>
          ← Previous
        </span>
      )}
      <span className="text-sm text-zinc-400">
        Page {Math.min(page, pages)} of {pages}
      </span>
      {page < pages ? (
        <Link href={hrefFor(page + 1)} rel="next" className={link}>
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
