/**
 * A link's or button's accessible name as the browser computes it from static markup (no
 * aria-label inside): its text, sr-only text included, and each img's alt, in order.
 */
export function accessibleName(html: string): string {
  return html
    .replace(/<img [^>]*alt="([^"]*)"[^>]*>/g, " $1 ")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}
