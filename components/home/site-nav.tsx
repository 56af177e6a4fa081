"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/", label: "Home" },
  { href: "/search", label: "Search" },
  { href: "/me/ratings", label: "My ratings" },
  { href: "/me/watchlist", label: "Watchlist" },
  { href: "/me/likes", label: "Likes" },
  { href: "/me/watched", label: "Watched" },
] as const;

/** The header's page links; the current page is marked for screen readers and by colour. */
export function SiteNav() {
  const pathname = usePathname();
  return (
    <ul className="flex items-center gap-1 overflow-x-auto text-sm sm:gap-2">
      {LINKS.map(({ href, label }) => {
        const current = href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
        return (
          <li key={href} className="shrink-0">
            <Link
              href={href}
              aria-current={current ? "page" : undefined}
              className={`block rounded-md px-2.5 py-1.5 font-semibold transition hover:bg-ink-800 ${current ? "text-accent" : "text-zinc-300"}`}
            >
              {label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
