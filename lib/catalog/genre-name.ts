/**
 * The catalog's spelling of a requested genre ("action" → "Action"), matched without regard to
 * case, or undefined when the catalog has no such genre. Lets a page show the filter it applies
 * (the search form's dropdown holds the catalog's names) and drop one that matches nothing.
 */
export function catalogGenreName(requested: string | undefined, names: readonly string[]): string | undefined {
  if (!requested) return undefined;
  const wanted = requested.trim().toLocaleLowerCase();
  return names.find((name) => name === requested) ?? names.find((name) => name.toLocaleLowerCase() === wanted);
}
