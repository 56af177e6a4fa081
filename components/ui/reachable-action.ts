import { unstable_rethrow } from "next/navigation";

/** What a form says when its server action never reached the server (the network, a restart). */
export const UNREACHABLE = "Couldn't reach Matinee. Check your connection and try again; nothing you entered was lost.";

/**
 * A server action for useActionState that answers `failed(form)` when the request never reached
 * the server (fetch's TypeError), instead of throwing to the error page: the form stays as it was
 * (picks, the typed email), with a message, and can be sent again. Anything else, the server's
 * own failure or Next's control flow (a redirect), goes on as before.
 */
export function reachableAction<S>(action: (prev: S, form: FormData) => Promise<S>, failed: (form: FormData) => S) {
  return async (prev: S, form: FormData): Promise<S> => {
    try {
      return await action(prev, form);
    } catch (err) {
      unstable_rethrow(err);
      if (!(err instanceof TypeError)) throw err;
      console.warn("form action did not reach the server:", err.message);
      return failed(form);
    }
  };
}
