"use client";

import { useLinkStatus } from "next/link";

/**
 * Over a poster card's poster, inside its link: while the page the link opens is on its way, the
 * poster dims under a spinner. A movie page has no loading.tsx (a loading boundary would make an
 * unknown id a soft 404, see app/movies/[id]/page.tsx), so a click on a slow connection otherwise
 * left the page as it was for seconds (QA). It fades in after 150 ms, so a quick navigation shows
 * nothing; it always takes its place (opacity only), so nothing moves when it shows.
 */
export function LinkPendingCue() {
  const { pending } = useLinkStatus();
  return (
    <span
      aria-hidden
      data-testid="link-pending"
      data-pending={pending ? "true" : undefined}
      className="pointer-events-none absolute inset-0 flex items-center justify-center bg-ink-950/60 opacity-0 transition-opacity data-[pending=true]:opacity-100 data-[pending=true]:delay-150"
    >
      <span className="h-8 w-8 rounded-full border-2 border-white/30 border-t-accent motion-safe:animate-spin" />
    </span>
  );
}
