import http from "node:http";
import type { ErrorBody } from "./errors";
import { requestIdOf } from "./request-id";

// Two requests Next answers with a bare 500 ("Internal Server Error", and an error in the log)
// before any project code runs:
// - TRACE: Next builds a WHATWG Request for every route and page, and undici refuses TRACE (a
//   forbidden method in the Fetch standard). Matinee serves TRACE nowhere: 501, as RFC 9110 says
//   for a method a server supports for no resource (a 405 would have to list the resource's methods).
// - the request target "*" (`OPTIONS * HTTP/1.1`, about the server rather than a resource), which
//   is not a URL Next can parse: OPTIONS * answers 204 with the methods the server serves anywhere,
//   any other method with "*" is a 400.
// And one Next would route somewhere else than it reads:
// - a path with a %-encoded dot segment (`/api/movies/%2e%2e/genres`): the URL standard reads
//   `%2e%2e` as `..`, so Next served /api/genres, and a proxy or CDN rule for `/api/movies/*`
//   would not have applied to what was served. A 400 (QA). Only a path with a "%" is looked at.
// They are answered here, with the API's error body, and the
// caller's `x-request-id` when it sent a sensible one, as the server hands requests to Next.

const SERVER_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

/** Answers `req` when it is one of the requests above (true), else leaves it to Next (false). */
export function refuseEarly(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const url = req.url ?? "";
  if (url === "*") {
    if (req.method === "OPTIONS") {
      res.writeHead(204, { allow: SERVER_METHODS, "x-request-id": requestIdOf(req.headers["x-request-id"]) }).end();
      return true;
    }
    answer(req, res, 400, { error: { code: "bad_request", message: "The request target * is only meaningful with OPTIONS" } });
    return true;
  }
  if (req.method === "TRACE") {
    answer(req, res, 501, { error: { code: "not_implemented", message: "TRACE is not supported" } });
    return true;
  }
  if (url.includes("%") && hasEncodedDotSegment(url)) {
    answer(req, res, 400, { error: { code: "bad_request", message: "The path has a %-encoded dot segment (%2e); write the path without it" } });
    return true;
  }
  return false;
}

/** A segment of the path that is "." or ".." with at least one of its dots written %2e. */
export function hasEncodedDotSegment(target: string): boolean {
  const end = target.search(/[?#]/);
  const path = end < 0 ? target : target.slice(0, end);
  return path.split("/").some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment) && /%2e/i.test(segment));
}

function answer(req: http.IncomingMessage, res: http.ServerResponse, status: number, body: ErrorBody): void {
  const text = JSON.stringify(body);
  res
    .writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "x-request-id": requestIdOf(req.headers["x-request-id"]),
    })
    .end(text);
}

const INSTALLED = Symbol.for("matinee.earlyRefusals");

/**
 * Route every HTTP server's requests through `refuseEarly` first (instrumentation.ts, at start,
 * before the first request: Next's server already exists then, so its prototype is patched). Costs
 * one comparison per request. Idempotent.
 */
export function installEarlyRefusals(proto: http.Server = http.Server.prototype): void {
  const marked = proto as http.Server & { [INSTALLED]?: true };
  if (marked[INSTALLED]) return;
  const emit = proto.emit;
  proto.emit = function (this: http.Server, event: string | symbol, req?: unknown, res?: unknown): boolean {
    if (event === "request" && refuseEarly(req as http.IncomingMessage, res as http.ServerResponse)) return true;
    // every argument as given (events other than "request" carry others)
    // eslint-disable-next-line prefer-rest-params -- forwards emit's arguments untouched; the first three are named only to type them
    return Reflect.apply(emit, this, arguments) as boolean;
  } as typeof proto.emit;
  marked[INSTALLED] = true;
}
