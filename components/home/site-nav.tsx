"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";

const PAGES = [
  { href: "/", label: "Home" },
  { href: "/search", label: "Search" },
] as const;

/** The user's own lists: links of their own from a tablet up, one "My lists" menu on a phone. */
const LISTS = [
  { href: "/me/ratings", label: "My ratings" },
  { href: "/me/watchlist", label: "Watchlist" },
  { href: "/me/likes", label: "Likes" },
  { href: "/me/watched", label: "Watched" },
] as const;

const isCurrent = (href: string, pathname: string) => (href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`));

const linkClass = (current: boolean) => `block rounded-md px-2.5 py-1.5 font-semibold transition hover:bg-ink-800 ${current ? "text-accent" : "text-zinc-300"}`;

/**
 * The header's page links; the current page is marked for screen readers and by colour. On a
 * phone the four lists sit in a "My lists" menu, so the links fit the screen's width (QA: the six
 * of them scrolled sideways at 390 px, "Likes" and "Watched" out of sight).
 */
export function SiteNav() {
  const pathname = usePathname();
  const inList = LISTS.some(({ href }) => isCurrent(href, pathname));
  return (
    <ul className="flex items-center gap-1 text-sm sm:gap-2">
      {PAGES.map(({ href, label }) => (
        <li key={href} className="shrink-0">
          <NavLink href={href} label={label} current={isCurrent(href, pathname)} />
        </li>
      ))}
      {LISTS.map(({ href, label }) => (
        <li key={href} className="hidden shrink-0 sm:block">
          <NavLink href={href} label={label} current={isCurrent(href, pathname)} />
        </li>
      ))}
      <li className="sm:hidden">
        {/* a new menu, closed, on every page */}
        <ListsMenu key={pathname} pathname={pathname} current={inList} />
      </li>
    </ul>
  );
}

function NavLink({ href, label, current }: { href: string; label: string; current: boolean }) {
  return (
    <Link href={href} aria-current={current ? "page" : undefined} className={linkClass(current)}>
      {label}
    </Link>
  );
}

/**
 * A disclosure (`<details>`): Escape, a click outside or the keyboard focus leaving it closes it,
 * and Escape gives focus back to its button.
 */
function ListsMenu({ pathname, current }: { pathname: string; current: boolean }) {
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const details = ref.current;
    if (!details) return;
    const close = (event: Event) => {
      if (!details.open) return;
      if (event instanceof KeyboardEvent) {
        if (event.key !== "Escape") return;
        details.open = false;
        details.querySelector("summary")?.focus();
      } else if (!details.contains(event.target as Node)) details.open = false;
    };
    // Tab past its last link (QA: it stayed open over the page while the focus went on)
    const focusLeft = (event: FocusEvent) => {
      const next = event.relatedTarget;
      if (next instanceof Node && !details.contains(next)) details.open = false;
    };
    document.addEventListener("keydown", close);
    document.addEventListener("pointerdown", close);
    details.addEventListener("focusout", focusLeft);
    return () => {
      document.removeEventListener("keydown", close);
      document.removeEventListener("pointerdown", close);
      details.removeEventListener("focusout", focusLeft);
    };
  }, []);
  return (
    <details ref={ref} className="group relative">
      <summary className={`${linkClass(current)} flex cursor-pointer list-none items-center gap-1 [&::-webkit-details-marker]:hidden`}>
        My lists
        <span aria-hidden className="text-xs transition group-open:rotate-180">
          ▾
        </span>
      </summary>
      <ul className="absolute left-0 top-full z-50 mt-1 min-w-40 rounded-md border border-white/10 bg-ink-900 p-1 shadow-lg">
        {LISTS.map(({ href, label }) => (
          <li key={href}>
            <NavLink href={href} label={label} current={isCurrent(href, pathname)} />
          </li>
        ))}
      </ul>
    </details>
  );
}
