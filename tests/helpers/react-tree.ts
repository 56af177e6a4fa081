import { isValidElement, type ReactElement, type ReactNode } from "react";

/**
 * The first element in a server component's own markup that `match` accepts (child components
 * are not rendered, so their inner elements are not searched), or null.
 */
export function findElement(node: ReactNode, match: (el: ReactElement) => boolean): ReactElement | null {
  if (Array.isArray(node)) {
    for (const child of node) {
      const hit = findElement(child, match);
      if (hit) return hit;
    }
    return null;
  }
  if (!isValidElement(node)) return null;
  if (match(node)) return node;
  return findElement((node.props as { children?: ReactNode }).children, match);
}

/** The element with this data-testid (see findElement). */
export function findByTestId(node: ReactNode, id: string): ReactElement | null {
  return findElement(node, (el) => (el.props as { "data-testid"?: string })["data-testid"] === id);
}
