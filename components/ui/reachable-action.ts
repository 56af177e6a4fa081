import { unstable_rethrow } from "next/navigation";

/** What a form says when its server action never reached the server (the network, a restart). */
export const UNREACHABLE = "Couldn't reach Matinee. Check your connection and try again; nothing you entered was lost.";

/**
 * A server action for useActionState that answers `failed(form)` when the request itself fails,
 * instead of throwing to the error page: the form stays as it was (picks, the typed email), with a
 * message, and can be sent again. Next's own control flow (a redirect) goes through.
 */
export function reachableAction<S>(action: (prev: S, form: FormData) => Promise<S>, failed: (form: FormData) => S) {
  return async (prev: S, form: FormData): Promise<S> => {
    try {
      return await action(prev, form);
    } catch (err) {
      unstable_rethrow(err);
      console.warn("form action failed before an answer:", err);
      return failed(form);
    }
  };
}
