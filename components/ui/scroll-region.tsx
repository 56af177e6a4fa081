import type { ReactNode } from "react";

/**
 * A wide table's horizontal scroller that a keyboard can reach: focusable (with the site's focus
 * outline) and named, so arrow keys scroll the columns a phone's width hides (axe
 * scrollable-region-focusable).
 */
export function ScrollRegion({ label, className = "", children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <div
      role="region"
      aria-label={label}
      tabIndex={0}
      className={`relative overflow-x-auto ${className}`}
    >
      {children}
    </div>
  );
}
