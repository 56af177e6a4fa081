import { setTimeout as delay } from "node:timers/promises";
import { TMDB } from "tmdb-ts";
import { TmdbError } from "./errors";
import { formatCount } from "@/lib/util/format";

/** The API root tmdb-ts hard-codes; TMDB_BASE_URL replaces it (e.g. `http://127.0.0.1:8080/3`). */
export const TMDB_API_ROOT = "https://api.themoviedb.org/3";

export type RetryEvent = { path: string; attempt: number; delayMs: number; reason: string };

export type TmdbClientOptions = {
  /** TMDB v4 read access token, sent as a Bearer token. */
  accessToken: string;
  /** Replaces TMDB_API_ROOT in every request URL. */
  baseUrl?: string;
  /** Minimum time between the starts of two requests, retries included. */
  intervalMs?: number;
  /** Per attempt, covering headers and body. */
  timeoutMs?: number;
  /** Extra attempts after the first for 429, 5xx, network errors and timeouts. */
  retries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Longest Retry-After we wait for; a longer one is clamped to this. */
  retryAfterMaxMs?: number;
  /** Query parameters added to every request unless tmdb-ts already set them. */
  query?: Record<string, string>;
  signal?: AbortSignal;
  onRetry?: (event: RetryEvent) => void;
  /** Test seams. */
  fetch?: typeof fetch;
  random?: () => number;
};

export type TmdbClient = {
  tmdb: TMDB;
  /** Counted across the client's life: HTTP attempts made and retries among them. */
  stats: { requests: number; retries: number };
};

export const clientDefaults = {
  intervalMs: 400,
  timeoutMs: 10_000,
  retries: 4,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  retryAfterMaxMs: 60_000,
};

/** A tmdb-ts client whose requests go through a polite, retrying fetch. */
export function createTmdbClient(options: TmdbClientOptions): TmdbClient {
  const stats = { requests: 0, retries: 0 };
  const politeFetch = createPoliteFetch(options, stats);
  return { tmdb: new TMDB(options.accessToken, { fetch: politeFetch }), stats };
}

type AttemptResult = { ok: true; response: Response } | { ok: false; error: TmdbError; retryAfterMs?: number };

/**
 * The fetch handed to tmdb-ts. tmdb-ts rejects with the parsed body on a non-2xx status (and with a
 * bare SyntaxError when that body is not JSON), so every failure is turned into a TmdbError here
 * and only a fully read, JSON-parsable 2xx response is passed back to it.
 */
export function createPoliteFetch(options: TmdbClientOptions, stats = { requests: 0, retries: 0 }): typeof fetch {
  const o = { ...clientDefaults, ...stripUndefined(options) };
  const fetchImpl = options.fetch ?? fetch;
  const random = options.random ?? Math.random;
  const root = (options.baseUrl ?? TMDB_API_ROOT).replace(/\/+$/, "");
  let queue: Promise<void> = Promise.resolve();
  let lastStartAt = -Infinity;

  // One request starts at a time, at least intervalMs after the previous one started.
  function waitForTurn(): Promise<void> {
    const turn = queue.then(async () => {
      // Node timers count from the event loop's cached clock and can fire a few ms early: re-check.
      for (let wait = lastStartAt + o.intervalMs - performance.now(); wait > 0; wait = lastStartAt + o.intervalMs - performance.now()) {
        await sleep(Math.ceil(wait), options.signal);
      }
      lastStartAt = performance.now();
    });
    queue = turn.catch(() => {});
    return turn;
  }

  function rewrite(url: string): URL {
    const target = new URL(url.startsWith(TMDB_API_ROOT) ? root + url.slice(TMDB_API_ROOT.length) : url);
    for (const [key, value] of Object.entries(o.query ?? {})) {
      if (!target.searchParams.has(key)) target.searchParams.set(key, value);
    }
    return target;
  }

  async function attempt(url: URL, path: string, init: RequestInit | undefined): Promise<AttemptResult> {
    const timeout = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
    await waitForTurn();
    stats.requests++;
    const timer = setTimeout(() => timeout.abort(), o.timeoutMs);
    let res: Response;
    let text: string;
    try {
      res = await fetchImpl(url, { ...init, signal });
      text = await res.text(); // inside the timeout: a stalled body is a timeout too
    } catch (err) {
      if (options.signal?.aborted) throw new TmdbError("aborted", "cancelled", { path });
      if (timeout.signal.aborted) {
        return { ok: false, error: new TmdbError("timeout", `no complete response within ${o.timeoutMs} ms`, { path }) };
      }
      return { ok: false, error: new TmdbError("network", `network error: ${describe(err)}`, { path }) };
    } finally {
      clearTimeout(timer);
    }
    const status = res.status;
    if (res.ok) {
      try {
        JSON.parse(text);
      } catch {
        throw new TmdbError("malformed", `response is not valid JSON (${text.length} bytes)`, { status, path });
      }
      return { ok: true, response: new Response(text, { status, headers: { "content-type": "application/json" } }) };
    }
    const reason = statusMessage(text);
    if (status === 401) {
      throw new TmdbError("auth", `TMDB rejected the access token (401${reason ? `: ${reason}` : ""})`, { status, path });
    }
    const error = new TmdbError("http", `HTTP ${status}${reason ? `: ${reason}` : ""}`, { status, path });
    if (!error.transient) throw error;
    return { ok: false, error, retryAfterMs: parseRetryAfter(res.headers.get("retry-after")) };
  }

  return async function politeFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const url = rewrite(input instanceof Request ? input.url : String(input));
    const path = url.pathname + url.search;
    for (let attemptNo = 1; ; attemptNo++) {
      const result = await attempt(url, path, init);
      if (result.ok) return result.response;
      if (attemptNo > o.retries) {
        const { error } = result;
        throw new TmdbError(error.kind, `${error.message} (gave up after ${formatCount(attemptNo, "attempt")})`, {
          ...error.details,
          attempts: attemptNo,
        });
      }
      const delayMs =
        result.retryAfterMs !== undefined
          ? Math.min(result.retryAfterMs, o.retryAfterMaxMs)
          : backoffDelay(attemptNo, o.backoffBaseMs, o.backoffMaxMs, random);
      stats.retries++;
      options.onRetry?.({ path, attempt: attemptNo, delayMs, reason: result.error.message });
      await sleep(delayMs, options.signal);
    }
  };
}

/**
 * Exponential backoff with "equal jitter": half of the capped exponential step is fixed, half is
 * random, so the delay always grows but concurrent clients do not retry in lockstep.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. Undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return;
  try {
    await delay(ms, undefined, { signal });
  } catch {
    throw new TmdbError("aborted", "cancelled");
  }
}

// TMDB error bodies look like {"status_code":7,"status_message":"Invalid API key ..."}.
function statusMessage(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { status_message?: unknown };
    return typeof body.status_message === "string" ? body.status_message : undefined;
  } catch {
    return undefined;
  }
}

function describe(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
