import { z } from "zod";
import { refuseCrossSiteSession } from "@/lib/auth/origin";
import { observeRequest } from "@/lib/mlops/metrics";
import { limitPublicApi } from "@/lib/ratelimit";
import type { MaybePromise } from "@/lib/util/maybe";
import { ApiError, errorResponse, zodDetails } from "./errors";
import { fastParseQuery } from "./fast-query";
import { noBodySchema } from "./params";
import { duplicateKeyPaths } from "./json-keys";
import { safeDecode } from "./path-escape";
import { isSharedCacheable } from "./respond";
import { requestIdFor } from "./request-id";
import { describeDatabaseFailure } from "@/lib/db/errors";
import { logError } from "@/lib/util/log";

type Params = Record<string, string | string[] | undefined>;
type Ctx = { params: Promise<Params> };

/** The field message for a query parameter or a body key given more than once. */
const GIVEN_ONCE = "must be given at most once";

export type HandlerContext = {
  request: Request;
  params: Params;
  requestId: string;
  /**
   * Count `extra` more requests against the route's rate limit (a batch asks for many users in one
   * request): 429 past the limit, and the response's `RateLimit` header says what is left after it.
   * Nothing on a route without a limit.
   */
  charge: (extra: number) => MaybePromise<void>;
};

export type RouteOptions = {
  /** Count the request against the public API limit per client (429 with Retry-After past it). */
  rateLimit?: "public";
  /**
   * "allow": take state-changing requests from other sites even when they carry the session
   * cookie. Only for routes that defend themselves otherwise (Auth.js's own, with their CSRF token
   * and OAuth providers' form posts) or change nothing (405 answers). By default such a request is
   * refused with 403 (lib/auth/origin.ts).
   */
  crossSite?: "allow";
};

type LimitHeaders = Record<string, string> | undefined;

/**
 * Wraps a route handler: known failures become the standard error body, anything else is
 * logged and returned as a generic 500 with no internals. Every response gets `x-request-id` and
 * is counted in the request histogram. A POST, PUT, PATCH or DELETE that carries the session
 * cookie and an `Origin` other than the app's is refused with 403 before anything else runs
 * (cross-site request forgery; see `refuseCrossSiteSession`), unless `crossSite: "allow"`.
 *
 * It runs on every API request, so it adds no promise of its own: a handler that answers at once
 * (with no path parameters and a rate limit counted in memory) is answered at once.
 */
export function route(handler: (ctx: HandlerContext) => MaybePromise<Response>, options: RouteOptions = {}) {
  return (request: Request, ctx?: Ctx): MaybePromise<Response> => {
    const started = performance.now();
    const requestId = requestIdFor(request.headers);
    let params: Params | undefined;
    const finish = (res: Response, limit: LimitHeaders): Response => {
      // a copy a CDN may keep would replay this client's budget to others (publicJson)
      if (limit && !isSharedCacheable(res)) for (const name in limit) res.headers.set(name, limit[name]);
      res.headers.set("x-request-id", requestId);
      const path = pathOf(request.url);
      observeRequest(params ? labelWithParams(path, params) : labelOf(path), request.method, res.status, (performance.now() - started) / 1000);
      return res;
    };
    // a request the limit counted and the handler then refused (400, 401, 404...) still tells
    // the caller its budget: the failure carries the same RateLimit header as a success
    let counted: LimitHeaders;
    const fail = (err: unknown): Response => finish(failure(err, request, requestId), counted);
    const charge = options.rateLimit !== "public" ? noCharge : (extra: number): MaybePromise<void> => {
      if (!(extra > 0)) return;
      // a refusal carries its own RateLimit header (r=0), not the first count's
      counted = undefined;
      const more = limitPublicApi(request, Date.now(), extra);
      if (!(more instanceof Promise)) counted = more;
      else return more.then((headers) => void (counted = headers));
    };
    try {
      if (options.crossSite !== "allow") refuseCrossSiteSession(request);
      const limit = options.rateLimit === "public" ? limitPublicApi(request) : undefined;
      if (limit instanceof Promise || ctx?.params) {
        return (async () => {
          // parameters first, so a refusal below is labelled by route too (the limit's outcome is
          // awaited right after: mark it handled meanwhile)
          if (limit instanceof Promise) limit.catch(() => {});
          params = ctx?.params ? await ctx.params : {};
          counted = await limit;
          const out = handler({ request, params, requestId, charge });
          return finish(out instanceof Promise ? await out : out, counted);
        })().catch(fail);
      }
      counted = limit;
      const out = handler({ request, params: {}, requestId, charge });
      return out instanceof Promise ? out.then((res) => finish(res, counted), fail) : finish(out, counted);
    } catch (err) {
      return fail(err);
    }
  };
}

/** A route without a rate limit has nothing to charge. */
const noCharge = (): void => {};

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Handlers for the methods a route does not serve: 405 with the error body and an `Allow` header
 * (Next's own 405 for a method a route file does not export has neither). A route file exports
 * the ones it lacks, and OPTIONS: `export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");`
 */
export function otherMethods(...allowed: Method[]): Record<Method | "OPTIONS", ReturnType<typeof route>> {
  const allow = [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  // changes nothing, so another site's request may learn the 405 like anyone's
  const refuse = route(
    ({ request }) => {
      throw new ApiError("method_not_allowed", `${request.method} is not supported here; use ${allowed.join(" or ")}`, undefined, { allow });
    },
    { crossSite: "allow" },
  );
  // Next would answer OPTIONS from the exported names, which now include the refused ones
  const options = (request: Request) => new Response(null, { status: 204, headers: { allow, "x-request-id": requestIdFor(request.headers) } });
  return { GET: refuse, POST: refuse, PUT: refuse, PATCH: refuse, DELETE: refuse, OPTIONS: options };
}

/** How long a client should wait before asking again while the database is unavailable. */
const DATABASE_RETRY_AFTER_S = 5;

/**
 * Known failures as the standard error body; the database failing where it is (an outage, a
 * locked, full or unreadable file: describeDatabaseFailure) logged in one line and answered 503
 * `not_ready` with Retry-After, which a client may retry; anything else logged and answered as a
 * generic 500.
 */
function failure(err: unknown, request: Request, requestId: string): Response {
  if (err instanceof ApiError) return errorResponse(err);
  if (err instanceof z.ZodError) return errorResponse(new ApiError("bad_request", "Invalid input", zodDetails(err)));
  const outage = describeDatabaseFailure(err);
  if (outage !== null) {
    console.error(`[${requestId}] ${urlOf(request).pathname}: ${outage}`);
    return errorResponse(
      new ApiError("not_ready", "The database is unavailable right now. Try again shortly.", undefined, { "retry-after": String(DATABASE_RETRY_AFTER_S) }),
    );
  }
  logError(`[${requestId}] unhandled error in ${urlOf(request).pathname}`, err);
  return errorResponse(new ApiError("internal", "Something went wrong. Try again later."));
}

/** The path with ids folded (/api/movies/:id/similar), so metric labels stay few. */
export function routeLabel(url: string): string {
  return labelOf(pathOf(url));
}

/** The path of an absolute URL, as `new URL(url).pathname` gives it, without parsing the rest. */
export function pathOf(url: string): string {
  const scheme = url.indexOf("://");
  const start = url.indexOf("/", scheme < 0 ? 0 : scheme + 3);
  if (start < 0) return "/";
  let end = url.length;
  for (let i = start; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 63 /* ? */ || c === 35 /* # */) {
      end = i;
      break;
    }
  }
  return url.slice(start, end);
}

/**
 * The metric label of a route with path parameters: each parameter's segment replaced by its name
 * (`/api/movies/:id/similar`), so whatever ids clients send, the label set stays as small as the
 * set of routes (a catch-all's segments become one `:name`).
 */
export function labelWithParams(pathname: string, params: Params): string {
  const segments = pathname.split("/");
  for (const [name, value] of Object.entries(params)) {
    if (Array.isArray(value)) {
      segments.splice(segments.length - value.length, value.length, `:${name}`); // a catch-all ends the path
    } else if (value !== undefined) {
      const at = segments.findIndex((s) => s === value || safeDecode(s) === value);
      if (at > 0) segments[at] = `:${name}`;
    }
  }
  return labelOf(segments.join("/"));
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
  // no prototype: a parameter named __proto__ is a key like any other (and then refused as unknown)
  const raw: Record<string, string> = Object.create(null);
  let count = 0;
  for (const [key, value] of urlOf(request).searchParams) {
    if (Object.hasOwn(raw, key)) {
      throw new ApiError("bad_request", `Query parameter "${key}" was given more than once`, {
        fields: { [key]: [GIVEN_ONCE] },
      });
    }
    raw[key] = value;
    count++;
  }
  // integer-only queries (most hot-path requests) are checked without zod; zod decides the rest
  const fast = fastParseQuery(schema, raw, count);
  if (fast !== undefined) return fast;
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

/** application/json or a +json type, with parameters or none (not application/json-seq). */
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Read a JSON body: 415 unless it is declared JSON, 413 past `maxBytes` (checked on the declared
 * length and on what actually arrives), 400 for malformed JSON or a body that fails the schema.
 */
export async function parseJsonBody<T extends z.ZodType>(
  request: Request,
  schema: T,
  maxBytes = MAX_BODY_BYTES,
  opts: { emptyIsObject?: boolean } = {},
): Promise<z.infer<T>> {
  const typed = JSON_TYPE.test(request.headers.get("content-type") ?? "");
  const refuseType = () => new ApiError("unsupported_media_type", "Send the body as application/json");
  if (!typed && !opts.emptyIsObject) throw refuseType();
  const bytes = await readBody(request, maxBytes);
  let data: unknown = {};
  if (bytes.length > 0 || !opts.emptyIsObject) {
    if (!typed) throw refuseType();
    data = parseJsonBytes(bytes);
  }
  const result = schema.safeParse(data);
  if (!result.success) throw new ApiError("bad_request", "Invalid request body", zodDetails(result.error));
  return result.data;
}

/**
 * A JSON body's bytes, parsed: 400 when they are not UTF-8 JSON, or when an object in them names a
 * key twice (JSON.parse would keep the last value silently; refused instead, like a repeated query
 * parameter).
 */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  let text: string;
  let data: unknown;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    data = JSON.parse(text);
  } catch {
    throw new ApiError("bad_request", "Body is not valid JSON");
  }
  const repeated = duplicateKeyPaths(text);
  if (repeated.length > 0) throw repeatedFields(repeated);
  return data;
}

/**
 * A form-encoded (application/x-www-form-urlencoded) body's fields by name, decoded as
 * URLSearchParams decodes them (`%65mail` is `email`): 400 naming any field given twice, rather
 * than one of its values silently picked (readers differ on which: URLSearchParams.get takes the
 * first, Object.fromEntries the last).
 */
export function parseFormBytes(bytes: Uint8Array): Record<string, string> {
  // no prototype: a field named __proto__ is a field like any other
  const fields: Record<string, string> = Object.create(null);
  const repeated = new Set<string>();
  for (const [key, value] of new URLSearchParams(new TextDecoder().decode(bytes))) {
    if (Object.hasOwn(fields, key)) repeated.add(key);
    fields[key] = value;
  }
  if (repeated.size > 0) throw repeatedFields([...repeated]);
  return fields;
}

function repeatedFields(keys: string[]): ApiError {
  return new ApiError("bad_request", "Invalid request body", { fields: Object.fromEntries(keys.map((key) => [key, [GIVEN_ONCE]])) });
}

/**
 * Read a JSON body that may be left out: an empty body, whatever its `content-type` says (generic
 * clients send `application/json` with nothing), is taken as `{}`; a body is read as
 * `parseJsonBody` reads it, so one sent without the JSON type is still a 415.
 */
export function parseOptionalJsonBody<T extends z.ZodType>(request: Request, schema: T, maxBytes = MAX_BODY_BYTES): Promise<z.infer<T>> {
  return parseJsonBody(request, schema, maxBytes, { emptyIsObject: true });
}

/**
 * For an operation that takes no input: a body left out, or `{}`, passes; anything else is refused
 * (400 with the unknown fields, 415 when not JSON) rather than ignored, so a client that sends,
 * say, `{"versionId": 3}` to a rollback learns that this is not how to choose the version.
 */
export async function expectNoBody(request: Request): Promise<void> {
  await parseOptionalJsonBody(request, noBodySchema);
}

/**
 * The request's body as bytes: 413 past `maxBytes` (on the declared length, and on what arrives,
 * for a chunked body), 400 when the client goes away before the body is complete.
 */
export async function readBody(request: Request, maxBytes = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new ApiError("payload_too_large", `Body must be at most ${maxBytes} bytes`);
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        // nobody reads this answer, but the request history should not count it as our failure
        throw new ApiError("bad_request", "The body ended before it was complete");
      }
      if (chunk.done) break;
      size += chunk.value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw new ApiError("payload_too_large", `Body must be at most ${maxBytes} bytes`);
      }
      chunks.push(chunk.value);
    }
  }
  return Buffer.concat(chunks);
}
