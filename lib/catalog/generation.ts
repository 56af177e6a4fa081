import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db";
import { getState, setState } from "@/lib/db/state";
import { isFresh } from "@/lib/util/fresh";
import { singleFlight } from "@/lib/util/single-flight";

// Which catalog the serving caches were built from. Every write to movies, their genres or the
// genre names also writes a new random token under `catalog_generation` in app_state, in the same
// transaction. Each process re-reads that token at most every CHECK_MS, and only when it serves
// something from the caches; when it changed, the process's *generation* (a local counter) moves
// on, and every movie row and finished list cached under an older generation stops being used.
// So titles, years, genres and posters changed by a crawl or an import reach every instance within
// CHECK_MS (plus one small read), while an unchanged catalog lets those caches live for as long as
// their memory allows. The token is shared state in the database, not in a process.

const STATE_KEY = "catalog_generation";
/** How long a process trusts its last look at the token. */
export const CHECK_MS = 2_000;

/** The token last read (`unknown` before the first read and after a write from this process). */
const UNKNOWN = Symbol("unknown");
let token: string | null | typeof UNKNOWN = UNKNOWN;
let generation = 0;
let checkedAt = -Infinity;

/**
 * Record a catalog change: call inside the transaction that changed movies, movie genres or genre
 * names (`db` is that transaction). Other processes see it within CHECK_MS of the commit; this one
 * at once (and, when the caller's own transaction commits later, within CHECK_MS of that too).
 */
export async function markCatalogChanged(db: Db): Promise<void> {
  await setState(STATE_KEY, randomUUID(), db);
  forgetCatalog();
}

/**
 * Drop this process's view at once: a new generation, and the token re-read (and the generation
 * moved on again) on the next look. Used after this process's own writes, whether their
 * transaction commits or not.
 */
export function forgetCatalog(): void {
  generation++;
  token = UNKNOWN;
  checkedAt = -Infinity;
}

/** The current generation when it was confirmed within CHECK_MS, else undefined (no query, no await). */
export function peekCatalogGeneration(now = Date.now()): number | undefined {
  return isFresh(checkedAt, CHECK_MS, now) ? generation : undefined;
}

/** The latest generation this process knows, however old its last look is. */
export function latestCatalogGeneration(): number {
  return generation;
}

/** The current generation, re-reading the token first when the last look is older than CHECK_MS. */
export function catalogGeneration(): Promise<number> {
  const known = peekCatalogGeneration();
  if (known !== undefined) return Promise.resolve(known);
  return tokenRead.run();
}

// one read at a time per process; requests arriving meanwhile wait for the same answer
const tokenRead = singleFlight(readToken);

async function readToken(): Promise<number> {
  const startedAt = Date.now();
  const expected = generation;
  const value = await getState(STATE_KEY);
  // a write from this process while the read was out makes the answer unusable: read again later
  if (generation !== expected) return generation;
  if (value !== token) {
    token = value;
    generation++;
  }
  checkedAt = startedAt;
  return generation;
}

/** Back to "never looked" (tests that switch databases). */
export function resetCatalogGenerationForTests(): void {
  forgetCatalog();
  tokenRead.forget();
}
