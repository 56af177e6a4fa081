import { acceptsSession } from "./accounts";
import { auth } from "./next-auth";

/**
 * The signed-in user's id from the session cookie, or null. Reads the request through
 * next/headers, so it works in server components, route handlers and server actions; handler
 * tests replace this module with vi.mock.
 *
 * A session signed in before the account's password last changed (its `sv` behind the account's
 * session_version), or signed out since (a copy of its cookie), is refused: null. The check is
 * here, not in Auth.js's session callback, where a database failure would have signed everyone
 * out and cleared their cookies; here it is the request's own error (503), and the cookie stays.
 */
export async function readSessionUserId(): Promise<number | null> {
  const session = await auth();
  const id = Number(session?.user?.id);
  if (!(Number.isSafeInteger(id) && id > 0)) return null;
  // (no such user: findAccountById says so next)
  return (await acceptsSession({ id, sv: session?.user?.sv, sid: session?.user?.sid })) !== false ? id : null;
}
