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
