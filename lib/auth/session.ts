import { auth } from "./next-auth";

/**
 * The signed-in user's id from the session cookie, or null. Reads the request through
 * next/headers, so it works in server components, route handlers and server actions; handler
 * tests replace this module with vi.mock.
 */
export async function readSessionUserId(): Promise<number | null> {
  const session = await auth();
  const id = Number(session?.user?.id);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}
