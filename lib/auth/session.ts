import type { SessionClaims } from "./accounts";
import { auth } from "./next-auth";

/**
 * What the session cookie says (its account's id, the session version it signed in at, its own
 * id), or null when signed out. Reads the request through next/headers, so it works in server
 * components, route handlers and server actions; handler tests replace this module with vi.mock.
 *
 * Whether the app still accepts the session is the database's to say (findSessionAccount): a
 * session signed in before the account's password last changed, or signed out since (a copy of its
 * cookie), is refused there. Not in Auth.js's session callback, where a database failure would have
 * signed everyone out and cleared their cookies; there it is the request's own error (503), and
 * the cookie stays.
 */
export async function readSessionClaims(): Promise<SessionClaims | null> {
  const session = await auth();
  const id = Number(session?.user?.id);
  if (!(Number.isSafeInteger(id) && id > 0)) return null;
  return { id, sv: session?.user?.sv, sid: session?.user?.sid };
}
