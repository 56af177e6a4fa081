import { randomUUID } from "node:crypto";
import { z } from "zod";
import { observeRequest } from "@/lib/mlops/metrics";
import { limitPublicApi } from "@/lib/ratelimit";
import type { MaybePromise } from "@/lib/util/maybe";
import { ApiError, errorResponse, zodDetails } from "./errors";

type Params = Record<string, string | string[] | undefined>;
type Ctx = { params: Promise<Params> };

export type HandlerContext = { request: Request; params: Params; requestId: string };

export type RouteOptions = {
  /** Count the request against the public API limit per client (429 with Retry-After past it). */
  rateLimit?: "public";
};

/**
 * Wraps a route handler: known failures become the standard error body, anything else is
 * logged and returned as a generic 500 with no internals.
 */
export function route(handler: (ctx: HandlerContext) => MaybePromise<Response>, options: RouteOptions = {}) {
  // One async step for the wrapper itself: it runs on every API request.
  return async (request: Request, ctx?: Ctx): Promise<Response> => {
    const started = performance.now();
    const requestId = request.headers.get("x-request-id") ?? randomUUID();
    let res: Response;
    try {
      let limitHeaders = options.rateLimit === "public" ? limitPublicApi(request) : undefined;
      if (limitHeaders instanceof Promise) limitHeaders = await limitHeaders;
      const params = ctx?.params ? await ctx.params : {};
      const out = handler({ request, params, requestId });
      res = out instanceof Promise ? await out : out;
      if (limitHeaders) for (const name in limitHeaders) res.headers.set(name, limitHeaders[name]);
    } catch (err) {
      res = failure(err, request, requestId);
    }
    res.headers.set("x-request-id", requestId);
    observeRequest(labelOf(urlOf(request).pathname), request.method, res.status, (performance.now() - started) / 1000);
    return res;
  };
}

/** Known failures as the standard error body; anything else logged and answered as a generic 500. */
function failure(err: unknown, request: Request, requestId: string): Response {
  if (err instanceof ApiError) return errorResponse(err);
  if (err instanceof z.ZodError) return errorResponse(new ApiError("bad_request", "Invalid input", zodDetails(err)));
  console.error(`[${requestId}] unhandled error in ${urlOf(request).pathname}:`, err);
  return errorResponse(new ApiError("internal", "Something went wrong. Try again later."));
}

/** The path with ids folded (/api/movies/:id/similar), so metric labels stay few. */
export function routeLabel(url: string): string {
  return labelOf(new URL(url).pathname);
}

const labels = new Map<string, string>();

function labelOf(pathname: string): string {
  let label = labels.get(pathname);
  if (label === undefined) {
    label = pathname.replace(/\/[^/]*\d[^/]*(?=\/|$)/g, "/:id");
    if (labels.size >= 1000) labels.clear();
    labels.set(pathname, label);
  }
  return label;
}

/** The request's URL: the one Next has already parsed (NextRequest.nextUrl), else parsed here. */
function urlOf(request: Request): URL {
  return (request as Request & { nextUrl?: URL }).nextUrl ?? new URL(request.url);
}

/**
 * Parse query parameters with a schema. A parameter given twice is rejected rather than
 * silently picking one value.
 */
export function parseQuery<T extends z.ZodType>(request: Request, schema: T): z.infer<T> {
  const raw: Record<string, string> = {};
  for (const [key, value] of urlOf(request).searchParams) {
    if (Object.hasOwn(raw, key)) {
      throw new ApiError("bad_request", `Query parameter "${key}" was given more than once`, {
        fields: { [key]: ["must be given at most once"] },
      });
    }
    raw[key] = value;
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw new ApiError("bad_request", "Invalid query parameters", zodDetails(result.error));
  return result.data;
}

export function parseParams<T extends z.ZodType>(params: Params, schema: T): z.infer<T> {
  const result = schema.safeParse(params);
  if (!result.success) throw new ApiError("bad_request", "Invalid path parameters", zodDetails(result.error));
  return result.data;
}

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Read a JSON body: 415 unless it is declared JSON, 413 past `maxBytes` (checked on the declared
 * length and on what actually arrives), 400 for malformed JSON or a body that fails the schema.
 */
export async function parseJsonBody<T extends z.ZodType>(request: Request, schema: T, maxBytes = MAX_BODY_BYTES): Promise<z.infer<T>> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    throw new ApiError("unsupported_media_type", "Send the body as application/json");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new ApiError("payload_too_large", `Body must be at most ${maxBytes} bytes`);
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw new ApiError("payload_too_large", `Body must be at most ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  }
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks)));
  } catch {
    throw new ApiError("bad_request", "Body is not valid JSON");
  }
  const result = schema.safeParse(data);
  if (!result.success) throw new ApiError("bad_request", "Invalid request body", zodDetails(result.error));
  return result.data;
}
