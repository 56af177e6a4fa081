// A URL path whose %-escapes do not decode (`/api/movies/%ZZ`, a cut-off UTF-8 sequence). Next
// fails to decode such a path when it matches a dynamic route, then fails to render its own 400
// page in an App Router-only app and answers a bare `500 Internal Server Error`; proxy.ts answers
// these paths first with a 400.

/** Whether every %-escape in the path decodes (as UTF-8). */
export function hasValidEscapes(path: string): boolean {
  return !path.includes("%") || safeDecode(path) !== undefined;
}

/** `decodeURIComponent`, or undefined where it would throw. */
export function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
