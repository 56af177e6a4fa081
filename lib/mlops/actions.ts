import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { modelEventActions, modelEvents, users, type ModelEvent, type ModelVersion } from "@/lib/db/schema";
import { ApiError } from "@/lib/http/errors";
import { intParam } from "@/lib/http/params";
import { getModelVersion, getServingVersionId, hasCache, listModelVersions, NotServableError, promoteModelVersion, pruneOldCaches } from "./registry";
import { settleAbandonedTraining } from "./settle";

// People's serving switches: promote a version, roll back to the previous production version.
// Both reuse the registry's atomic switch and leave an audit row (who, when, from which version).

/** Who made a switch: an account, or a label alone for the CLI ("cli:alice"). */
export type ModelActor = { userId: number | null; label: string };

export type ModelEventAction = ModelEvent["action"];

export const modelIdParamsSchema = z.object({ id: intParam(1, 2_147_483_647) });

export const modelEventSchema = z
  .object({
    id: z.int(),
    modelVersionId: z.int(),
    action: z.enum(modelEventActions),
    fromVersionId: z.int().nullable(),
    actorUserId: z.int().nullable(),
    actorLabel: z.string(),
    at: z.int(),
  })
  .meta({ id: "ModelEvent" });

export const servingSwitchSchema = z
  .object({
    servingVersion: z.int(),
    previousVersion: z.int().nullable(),
    event: modelEventSchema,
  })
  .meta({ id: "ServingSwitch" });

export type ServingSwitch = z.infer<typeof servingSwitchSchema>;

export type ModelEventWithActor = ModelEvent & { actorEmail: string | null };

/** The audit trail, newest first. */
export async function listModelEvents(limit = 50): Promise<ModelEventWithActor[]> {
  const rows = await getDb()
    .select({ event: modelEvents, actorEmail: users.email })
    .from(modelEvents)
    .leftJoin(users, eq(users.id, modelEvents.actorUserId))
    .orderBy(desc(modelEvents.id))
    .limit(limit);
  return rows.map((r) => ({ ...r.event, actorEmail: r.actorEmail }));
}

/** Make a ready version (that still has its cache) the serving one. */
export async function promoteVersion(id: number, actor: ModelActor): Promise<ServingSwitch> {
  const version = await getModelVersion(id);
  if (!version) throw new ApiError("not_found", `There is no model version ${id}.`);
  if (version.status !== "ready") throw new ApiError("conflict", `Version ${id} is ${version.status}, not ready: only a finished version can serve.`);
  const servingId = await getServingVersionId();
  if (servingId === id) throw new ApiError("conflict", `Version ${id} is already serving.`);
  if (!(await hasCache(id))) {
    throw new ApiError("conflict", `Version ${id}'s recommendation cache was pruned; retrain instead of promoting it.`);
  }
  const { previousVersion, event } = await switchServing(id, "promote", actor);
  return { servingVersion: id, previousVersion, event };
}

/** The version a rollback would switch to now, or null (see pickRollbackTarget). */
export async function findRollbackTarget(servingId: number | null): Promise<number | null> {
  return (await findRollback(servingId)).id;
}

/** pickRollbackTarget on the registry as it is now. */
async function findRollback(servingId: number | null): Promise<RollbackPick> {
  if (servingId === null) return { id: null, rolledBackFrom: [] };
  const [versions, events] = await Promise.all([listModelVersions(500), listAllEvents()]);
  const withCache = new Set<number>();
  for (const v of versions) if (v.stage === "archived" && v.status === "ready" && (await hasCache(v.id))) withCache.add(v.id);
  return pickRollbackTarget({ versions, events, servingId, hasCache: (id) => withCache.has(id) });
}

/** A rollback's optional body: the version the caller expects it to serve (what its page showed). */
export const rollbackRequestSchema = z
  .strictObject({
    to: z
      .int()
      .min(1, "must be at least 1")
      .max(2_147_483_647, "must be at most 2147483647")
      .optional()
      .meta({ description: "The version the caller expects the rollback to serve; refused (409) when the rollback would now serve another, e.g. after someone else switched versions" }),
  })
  .meta({ id: "RollbackRequest", description: "May be left out (an empty body): roll back to whatever the rollback target is now." });

/**
 * Training's prune (pruneOldCaches) that also keeps the rollback target's cache: candidates the
 * gate refused count among the recent ready versions kept, and three of them used to take the
 * previous production version's cache, leaving nothing to roll back to.
 */
export async function pruneCachesAfterTraining(keep = 3): Promise<number[]> {
  const target = await findRollbackTarget(await getServingVersionId());
  return pruneOldCaches(keep, target === null ? [] : [target]);
}

/**
 * Switch back to the previous production version (see pickRollbackTarget). Instant: its cache is
 * kept. `to`: the version the caller expects (what its page showed); refused when the target is now
 * another, as after a switch in another tab. The switch itself is refused when serving moved
 * between choosing the target and making it (a promotion, an experiment's stop or a training
 * gate landing in between), since the target was chosen for the version serving before.
 */
export async function rollbackServing(actor: ModelActor, request: { to?: number } = {}): Promise<ServingSwitch> {
  const servingId = await getServingVersionId();
  if (servingId === null) throw new ApiError("conflict", "No model is serving, so there is nothing to roll back.");
  const { id: targetId, rolledBackFrom } = await findRollback(servingId);
  if (targetId === null) throw new ApiError("conflict", noRollbackMessage(rolledBackFrom));
  if (request.to !== undefined && targetId !== request.to) {
    throw new ApiError("conflict", `A rollback would now serve version ${targetId}, not version ${request.to} (version ${servingId} serves now); nothing was switched.`);
  }
  const { previousVersion, event } = await switchServing(targetId, "rollback", actor, servingId);
  return { servingVersion: targetId, previousVersion, event };
}

/** Why there is nothing to roll back to (the API's 409, the admin's disabled button). */
function noRollbackMessage(rolledBackFrom: number[]): string {
  if (rolledBackFrom.length === 0) return "There is no earlier production version with its cache to roll back to.";
  const one = rolledBackFrom.length === 1;
  const skipped = new Intl.ListFormat("en").format(rolledBackFrom.map((id) => `version ${id}`));
  return `There is no earlier production version to roll back to: ${skipped} ${one ? "was" : "were"} rolled back away from, and a rollback skips ${one ? "it" : "them"}. Promote one to serve it again.`;
}

/**
 * The registry's switch with its audit row (written in the same transaction, from the version it
 * actually replaced), its in-transaction refusals (a prune got there first, a concurrent switch
 * already made it) as the same 409s as the checks above. Only transaction queries: it may run
 * inside a caller's transaction (stopping an experiment) without waiting on a second connection.
 */
export async function switchServing(
  id: number,
  action: ModelEventAction,
  actor: ModelActor,
  expectServing?: number,
): Promise<{ previousVersion: number | null; event: ModelEvent }> {
  try {
    const { previousVersion, event } = await promoteModelVersion(id, { requireCache: true, expectServing, audit: { action, actorUserId: actor.userId, actorLabel: actor.label } });
    return { previousVersion, event: event! };
  } catch (err) {
    if (!(err instanceof NotServableError)) throw err;
    const message = {
      no_cache: `Version ${id}'s recommendation cache was pruned; retrain instead of promoting it.`,
      serving: `Version ${id} is already serving.`,
      not_ready: `Version ${id} is no longer ready: only a finished version can serve.`,
      moved: `Serving changed while this ${action} was being made (version ${err.servingId ?? "none"} serves now); nothing was switched.`,
    }[err.reason];
    throw new ApiError("conflict", message);
  }
}

export type AdminModelVersion = ModelVersion & { serving: boolean; cached: boolean };

/**
 * Everything the admin Models page shows: versions (with whether each can still serve), the
 * rollback target or why there is none (as the rollback's 409 says it), the trail.
 */
export async function getModelsForAdmin(): Promise<{
  servingVersion: number | null;
  rollbackTarget: number | null;
  noRollbackReason: string | null;
  versions: AdminModelVersion[];
  events: ModelEventWithActor[];
}> {
  await settleAbandonedTraining(); // a killed run reads `failed`, as in the runs listing
  const servingVersion = await getServingVersionId();
  const [versions, events, rollback] = await Promise.all([listModelVersions(100), listModelEvents(30), findRollback(servingVersion)]);
  const items: AdminModelVersion[] = [];
  for (const v of versions) items.push({ ...v, serving: v.id === servingVersion, cached: v.status === "ready" && (await hasCache(v.id)) });
  const noRollbackReason = rollback.id === null ? noRollbackMessage(rollback.rolledBackFrom) : null;
  return { servingVersion, rollbackTarget: rollback.id, noRollbackReason, versions: items, events };
}

async function listAllEvents(): Promise<ModelEvent[]> {
  return getDb().select().from(modelEvents).orderBy(modelEvents.id);
}

/**
 * The rollback target: among versions that served before (stage `archived`), still ready and
 * cached, the one that most recently stopped serving, skipping any that were themselves rolled
 * back (until someone promotes them again). So v1 → v2 → v3, rollback → v2, rollback → v1.
 *
 * When a version stopped serving comes from the audit trail when a person or an admin job made
 * the switch; a switch the trail does not know about (the training gate of `npm run train`) is
 * dated by the finish time of the first later-trained version that served.
 */
export function pickRollbackTarget(input: {
  versions: Pick<ModelVersion, "id" | "status" | "stage" | "finishedAt" | "createdAt">[];
  events: Pick<ModelEvent, "modelVersionId" | "fromVersionId" | "action" | "at">[];
  servingId: number;
  hasCache: (id: number) => boolean;
}): RollbackPick {
  const { versions, events, servingId } = input;
  const servedEver = versions.filter((v) => v.stage === "production" || v.stage === "archived");
  let best: { id: number; stoppedAt: number } | null = null;
  const rolledBackFrom: number[] = [];
  for (const v of versions) {
    if (v.id === servingId || v.stage !== "archived" || v.status !== "ready" || !input.hasCache(v.id)) continue;
    // Start of its latest serving period: its last switch-to event, else when its training ended.
    const servedFrom = maxOf(events.filter((e) => e.modelVersionId === v.id).map((e) => e.at)) ?? v.finishedAt ?? v.createdAt;
    const leftAt = events.filter((e) => e.fromVersionId === v.id && e.at >= servedFrom);
    if (leftAt.some((e) => e.action === "rollback")) {
      rolledBackFrom.push(v.id); // rolled back away from: a known-bad version
      continue;
    }
    const stoppedAt =
      minOf(leftAt.map((e) => e.at)) ??
      minOf(servedEver.filter((w) => w.id !== v.id && (w.finishedAt ?? 0) > servedFrom).map((w) => w.finishedAt ?? 0)) ??
      servedFrom;
    if (!best || stoppedAt > best.stoppedAt || (stoppedAt === best.stoppedAt && v.id > best.id)) best = { id: v.id, stoppedAt };
  }
  return { id: best?.id ?? null, rolledBackFrom: rolledBackFrom.sort((a, b) => b - a) };
}

/** The rollback target (null: none), and the versions it skipped because they were rolled back away from, newest first. */
export type RollbackPick = { id: number | null; rolledBackFrom: number[] };

function maxOf(xs: number[]): number | undefined {
  return xs.length ? Math.max(...xs) : undefined;
}

function minOf(xs: number[]): number | undefined {
  return xs.length ? Math.min(...xs) : undefined;
}
