"use client";

import { useState, type ReactNode } from "react";
import { KeptAfterRemoval } from "./kept-context";

export type KeptItem = { key: string; node: ReactNode };

/** `shown`, each item as `items` now has it (or kept as it was), then the items new in `items`, in their order. */
export function keptOrder(shown: KeptItem[], items: KeptItem[]): KeptItem[] {
  const fresh = new Map(items.map((item) => [item.key, item]));
  const had = new Set(shown.map((item) => item.key));
  return [...shown.map((item) => fresh.get(item.key) ?? item), ...items.filter((item) => !had.has(item.key))];
}

/**
 * A list whose items stay where they are when the page re-renders without them: on the user's own
 * lists (watchlist, likes, watched) taking a film off saves at once and refreshes the page, and
 * the card stays, its button now saying "Add…", so the user can put it back and keyboard focus is
 * not lost, even when it was the last one (`empty` shows only for a list that started empty). The
 * list shows what changed on the next visit (or page: remount it with another key). Items that
 * the re-render adds (a film from the next page moving up) join at the end, so going on to the
 * next page skips none (QA: they waited for the next visit, and the film that moved up to page 1
 * was on neither page).
 */
export function KeptList({ items, className, testId, empty }: { items: KeptItem[]; className: string; testId?: string; empty: ReactNode }) {
  const [shown, setShown] = useState(items);
  const [seen, setSeen] = useState(items);
  if (items !== seen) {
    // React's pattern for state that follows a prop: adjust it while rendering, not in an effect
    setSeen(items);
    setShown(keptOrder(shown, items));
  }
  // empty from the start; a list emptied here keeps its cards, so "Add…" stays in reach
  if (shown.length === 0) return empty;
  const current = new Set(items.map((item) => item.key));
  return (
    <ul className={className} data-testid={testId}>
      {shown.map((item) => (
        <li key={item.key}>
          <KeptAfterRemoval value={!current.has(item.key)}>{item.node}</KeptAfterRemoval>
        </li>
      ))}
    </ul>
  );
}
