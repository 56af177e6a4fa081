"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";

const tabs = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/jobs", label: "Jobs" },
  { href: "/admin/models", label: "Models" },
  { href: "/admin/runs", label: "Runs" },
  { href: "/admin/experiments", label: "Experiments" },
  { href: "/admin/api-keys", label: "API keys" },
];

/** The current tab's left edge in `nav`'s scroll box so that it shows in full, centred where the strip can. */
export function tabScrollLeft(nav: { clientWidth: number; scrollWidth: number }, tab: { offsetLeft: number; offsetWidth: number }): number {
  const centred = tab.offsetLeft - (nav.clientWidth - tab.offsetWidth) / 2;
  return Math.max(0, Math.min(centred, nav.scrollWidth - nav.clientWidth));
}

export function AdminNav() {
  const pathname = usePathname();
  const nav = useRef<HTMLElement>(null);
  // On a phone the strip scrolls sideways: bring the current tab into view (was: API keys was off-screen)
  useEffect(() => {
    const box = nav.current;
    const tab = box?.querySelector<HTMLElement>('[aria-current="page"]');
    if (box && tab) box.scrollLeft = tabScrollLeft(box, tab);
  }, [pathname]);
  return (
    <nav ref={nav} aria-label="Admin" className="relative mb-6 flex gap-1 overflow-x-auto border-b border-white/10">
      {tabs.map((tab) => {
        const active = tab.href === "/admin" ? pathname === "/admin" : pathname.startsWith(tab.href);
        return (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={active ? "page" : undefined}
            className={`-mb-px whitespace-nowrap border-b-2 px-3 py-2 text-sm font-semibold ${
              active ? "border-accent text-zinc-50" : "border-transparent text-zinc-400 hover:text-zinc-100"
            }`}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
