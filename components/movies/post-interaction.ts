import type { z } from "zod";
import type { interactionBodySchema } from "@/lib/interactions/api";

// The movie page's controls record signals through the public endpoint, as the signed-in user
// (session cookie). Type-only imports: nothing server-side reaches the browser bundle.

export type InteractionBody = z.input<typeof interactionBodySchema>;

/**
 * A failed save, with the message to show next to the control. `signInAgain`: refused because
 * the session ended; the control offers a sign-in link (SaveErrorText).
 */
export class SaveError extends Error {
  constructor(
    message: string,
    readonly signInAgain = false,
  ) {
    super(message);
  }
}

export async function postInteraction(body: InteractionBody): Promise<void> {
  await send("/api/interactions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** Take a signal back (e.g. clear a rating). */
export async function deleteInteraction(movieId: number, kind: InteractionBody["kind"]): Promise<void> {
  await send(`/api/interactions?${new URLSearchParams({ movieId: String(movieId), kind })}`, { method: "DELETE" });
}

async function send(url: string, init: RequestInit): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, keepalive: true }); // finishes even if the user navigates away mid-save
  } catch {
    throw new SaveError("Couldn't save: Matinee could not be reached. Check your connection and try again.");
  }
  if (res.ok) return;
  if (res.status === 401) throw new SaveError("Your session ended. Sign in again to save.", true);
  if (res.status === 429) throw new SaveError("Too many changes at once. Try again in a minute.");
  throw new SaveError("Couldn't save that. Try again.");
}
