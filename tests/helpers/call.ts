// Call a route handler in-process, as Next would, and read the JSON body. Like Next, path
// parameters (`opts.params`) arrive as a promise, and a static route gets none.
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Response | Promise<Response>;

export async function call(
  handler: Handler,
  url: string,
  opts: { params?: Record<string, string>; method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const init: RequestInit = { method: opts.method ?? "GET", headers: { ...opts.headers } };
  if (opts.body !== undefined) {
    init.body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
    (init.headers as Record<string, string>)["content-type"] ??= "application/json";
  }
  const ctx = { params: opts.params ? Promise.resolve(opts.params) : undefined } as { params: Promise<Record<string, string>> };
  const res = await handler(new Request(`http://127.0.0.1${url}`, init), ctx);
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** Asserts the standard error body and returns it. */
export function expectErrorShape(json: any) {
  if (!json?.error || typeof json.error.code !== "string" || typeof json.error.message !== "string") {
    throw new Error(`not the standard error shape: ${JSON.stringify(json)}`);
  }
  return json.error as { code: string; message: string; details?: unknown };
}
