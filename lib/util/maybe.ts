// Values that are ready at once on the hot path and only sometimes need the database (a memo hit,
// an embedded read, a rate-limit count held in memory). Callers may always `await` them; code on
// the request path uses `andThen` instead so a ready value costs no promise (each promise carries
// Next's async context, a measurable cost per request; docs/benchmarks.md).

export type MaybePromise<T> = T | Promise<T>;

/** `f(value)` now when the value is ready, else once it resolves. */
// (Not named `then`: a module exporting `then` is treated as a promise by dynamic import.)
export function andThen<T, U>(value: MaybePromise<T>, f: (ready: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(f) : f(value);
}
