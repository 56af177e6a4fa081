import { randomUUID } from "node:crypto";

// The id a response carries in `x-request-id` (and the body's `requestId`, and the log lines of a
// failure): the caller's own when it sent a sensible one, so its logs and ours line up; otherwise
// a new UUID. A caller's id is echoed into headers, bodies and logs, so it must be short and plain.
const CALLER_ID = /^[\w.:-]{1,128}$/;

export function requestIdFor(headers: Headers): string {
  return requestIdOf(headers.get("x-request-id"));
}

/** The same from the header's value as Node's http module gives it (an array when repeated: a new id). */
export function requestIdOf(given: string | string[] | null | undefined): string {
  return typeof given === "string" && CALLER_ID.test(given) ? given : randomUUID();
}
