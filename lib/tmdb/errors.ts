/**
 * What went wrong talking to TMDB. `kind` decides what the crawl does with it:
 * - auth: missing or rejected key, fatal (the CLI exits 2)
 * - http: a non-retryable status (404, 400 ...) or a retryable one that outlived its retries
 * - network / timeout: the request never produced a full response, even after retries
 * - malformed: bad JSON or the wrong shape; retrying will not fix it, so it is reported and skipped
 * - aborted: the caller cancelled (Ctrl-C)
 */
export type TmdbErrorKind = "auth" | "http" | "network" | "timeout" | "malformed" | "aborted";

export class TmdbError extends Error {
  constructor(
    public readonly kind: TmdbErrorKind,
    message: string,
    public readonly details: { status?: number; path?: string; attempts?: number } = {},
  ) {
    super(message);
    this.name = "TmdbError";
  }

  /** Worth another try later (429, 5xx, network, timeout). */
  get transient(): boolean {
    const { status } = this.details;
    if (this.kind === "network" || this.kind === "timeout") return true;
    return this.kind === "http" && status !== undefined && (status === 429 || status >= 500);
  }
}

export function isTmdbError(err: unknown, kind?: TmdbErrorKind): err is TmdbError {
  return err instanceof TmdbError && (kind === undefined || err.kind === kind);
}
