// Client-side calls to the admin API: the JSON body, or the error message the API sent.

export type AdminResult<T> =
  | { ok: true; data: T }
  | { ok: false; status: number; message: string; fields?: Record<string, string[]>; /** e.g. a 409's conflicting job */ jobId?: number };

export async function adminFetch<T>(url: string, init: { method?: string; body?: unknown } = {}): Promise<AdminResult<T>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method ?? "GET",
      headers: init.body === undefined ? undefined : { "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      cache: "no-store",
    });
  } catch {
    return { ok: false, status: 0, message: "Could not reach the server. Check your connection and try again." };
  }
  const json = await res.json().catch(() => null);
  if (res.ok) return { ok: true, data: json as T };
  const error = json?.error;
  return {
    ok: false,
    status: res.status,
    message: typeof error?.message === "string" ? error.message : `Request failed (${res.status}).`,
    fields: error?.details?.fields,
    jobId: typeof error?.details?.jobId === "number" ? error.details.jobId : undefined,
  };
}

/**
 * What an admin action tells its ConfirmButton: null when it worked, the message when it failed,
 * or `{ refused }` when the API refused it because the state changed since the page was drawn
 * (409): the page has been refreshed to show the real state, and the message must outlive the prompt.
 */
export type ActionResult = null | string | { refused: string };

/**
 * POST a serving switch (promote, roll back, stop an experiment) and refresh the page's server
 * data once it worked, or once it was refused with a conflict (another tab or admin switched
 * first: the page's header and buttons would otherwise contradict the error).
 */
export async function postSwitch(url: string, body: unknown, refresh: () => void): Promise<ActionResult> {
  const res = await adminFetch(url, { method: "POST", body });
  if (res.ok) {
    refresh();
    return null;
  }
  if (res.status === 409) {
    refresh();
    return { refused: res.message };
  }
  return res.message;
}
