import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db";
import { queryArrays } from "@/lib/db/raw";
import { getState, setState } from "@/lib/db/state";
import { isFresh } from "@/lib/util/fresh";
import { andThen, type MaybePromise } from "@/lib/util/maybe";
import { singleFlight } from "@/lib/util/single-flight";
import { getUserLastInteraction, type UserActivity } from "./training-data";
import { logError } from "@/lib/util/log";

// Each user's newest interaction (its time and the largest row id) decides whether the model's
// precomputed list still applies to them (serve.ts). Reading it from the database on every
// request was the largest single step of a repeat request, so each process remembers what it
// read, and forgets a user as soon as it learns that user may have acted:
//
// - at once, for writes this process makes through recordInteraction / deleteInteraction;
// - within POLL_MS for writes from any process: each process looks at the interactions stamped
//   since its last look (created_at, indexed) at most every POLL_MS while serving, reading from
//   OVERLAP_MS before that look so rows stamped by a slow clock (up to OVERLAP_MS behind) or
//   committed late are not missed;
// - within POLL_MS for bulk writes (imports, simulations, deletions, which may carry old
//   timestamps): they write a new `interactions_generation` token in app_state in their
//   transaction, and a process that sees the token change forgets everyone.
//
// A remembered time is used only while the last look is younger than POLL_MS; otherwise the read
// goes to the database as before (and a look is started). So serving is never more than POLL_MS
// (plus one small query) behind the database, and the state lives in the database, not here.

/** How long one look at the newest interactions is trusted. */
export const POLL_MS = 500;
/** How far before the newest time seen each look re-reads (clock skew between instances, late commits). */
export const OVERLAP_MS = 10_000;
const MAX_REMEMBERED = 200_000;
/**
 * The users with interactions stamped after a time. No DISTINCT: with it SQLite's planner scans
 * the whole (user_id, created_at) index instead of searching the created_at one (1.2 ms at 27k
 * interactions, growing with the table, on every look); a repeated user is simply forgotten twice.
 */
export const RECENT_USERS_SQL = "select user_id from interactions where created_at > ?";
/** The app_state key bulk writers change (scale-run.ts writes it with its own statement). */
export const INTERACTIONS_TOKEN_KEY = "interactions_generation";

const UNKNOWN = Symbol("unknown");
const remembered = new Map<number, UserActivity>();
/** Bumped whenever anyone is forgotten: a database read started before that is not remembered. */
let epoch = 0;
/** Bumped by forgetActivity: a look started before that is not trusted. */
let forgets = 0;
let lookedAt = -Infinity;
let cursor: number | null = null;
let token: string | null | typeof UNKNOWN = UNKNOWN;

function trusted(now: number): boolean {
  return isFresh(lookedAt, POLL_MS, now);
}

/**
 * The user's newest interaction (NO_ACTIVITY for none): remembered when this process's view is
 * fresh, else read from the database (at once on SQLite, a promise on PostgreSQL) and remembered.
 */
export function userLastActivity(userId: number, now = Date.now()): MaybePromise<UserActivity> {
  if (trusted(now)) {
    const known = remembered.get(userId);
    if (known !== undefined) return known;
  } else {
    void lookForActivity();
  }
  const startedIn = epoch;
  return andThen(getUserLastInteraction(userId), (last) => {
    if (epoch === startedIn) {
      if (remembered.size >= MAX_REMEMBERED) remembered.clear();
      remembered.set(userId, last);
    }
    return last;
  });
}

/** This process wrote interactions for `userId`: forget it at once. */
export function noteUserActivity(userId: number): void {
  remembered.delete(userId);
  epoch++;
}

/**
 * Record a bulk change to interactions (an import, a simulation, a deletion): call inside the
 * transaction that made it. Every process forgets every user within POLL_MS of the commit; this
 * one at once (and again within POLL_MS of the commit).
 */
export async function markInteractionsChanged(db: Db): Promise<void> {
  await setState(INTERACTIONS_TOKEN_KEY, randomUUID(), db);
  forgetActivity();
}

/** Forget every remembered user and look at the database again before trusting anything. */
export function forgetActivity(): void {
  remembered.clear();
  epoch++;
  forgets++;
  token = UNKNOWN;
  lookedAt = -Infinity;
}

/** One look at the newest interactions at a time per process (errors are logged; reads go to the database meanwhile). */
export function lookForActivity(): Promise<void> {
  return looking.run();
}

const looking = singleFlight(() => look().catch((err) => logError("activity: looking for new interactions failed", err)));

async function look(): Promise<void> {
  const startedAt = Date.now();
  const startedAfter = forgets;
  const value = await getState(INTERACTIONS_TOKEN_KEY);
  // First look, or a bulk change: nothing remembered can be trusted, and there is nothing to read.
  const restart = cursor === null || value !== token;
  const rows = restart
    ? []
    : await queryArrays<[number]>(RECENT_USERS_SQL, [cursor! - OVERLAP_MS]);
  if (forgets !== startedAfter) return; // a bulk change from this process meanwhile: look again
  if (restart) remembered.clear();
  for (const [user] of rows) remembered.delete(Number(user));
  epoch++; // a read that started before this look may predate what it found
  token = value;
  cursor = startedAt; // the next look reads from OVERLAP_MS before this one started
  lookedAt = startedAt;
}

/** Back to "never looked" (tests that switch databases). */
export function resetActivityForTests(): void {
  forgetActivity();
  cursor = null;
  looking.forget();
}
