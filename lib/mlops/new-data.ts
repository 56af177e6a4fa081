import { count, gt, or, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { interactions, type ModelVersion } from "@/lib/db/schema";
import { versionSnapshot } from "./registry";

// What "new data since a model version was trained" means, for both the drift check (its recent
// window) and the scheduled retrain (whether to queue one): interactions whose training fields
// (user, movie, kind, time, weight; lib/interactions/training-data.ts) the version did not read
// as they are now. One definition, so the two cannot disagree.

/**
 * Interactions new to a version: stamped after its newest one, or added or changed in what
 * training reads after it read the table (training id past the largest row id it read). An import
 * keeps its rows' own, older times, so only the id shows its rows. A change training does not read
 * (a rating's stars, a watch's seconds) gives the row a new id (serving folds the user in) but
 * keeps its training id, so it is not new here. Versions trained before the id was recorded are
 * judged by time alone.
 */
export function newSinceTraining(version: Pick<ModelVersion, "id" | "snapshot">): SQL {
  const { trainedUpTo, trainedUpToId } = versionSnapshot(version);
  if (trainedUpToId === null) return gt(interactions.createdAt, trainedUpTo);
  return or(gt(interactions.createdAt, trainedUpTo), gt(sql`coalesce(${interactions.trainingId}, ${interactions.id})`, trainedUpToId))!;
}

export type NewDataCounts = {
  /** Interactions new to the version (newSinceTraining). */
  recent: number;
  /** The rest: the training data as far as the table still holds it unchanged. */
  baseline: number;
  /** How many interactions training read (null for versions that did not record it). */
  trained: number | null;
};

/** Count a version's new interactions and what is left of its training data. */
export async function countNewData(version: Pick<ModelVersion, "id" | "snapshot">): Promise<NewDataCounts> {
  const after = newSinceTraining(version);
  const [row] = await getDb()
    .select({ all: count(), recent: count(sql`case when ${after} then 1 end`) })
    .from(interactions);
  const recent = Number(row?.recent ?? 0);
  const trained = version.snapshot?.interactions;
  return { recent, baseline: Number(row?.all ?? 0) - recent, trained: typeof trained === "number" ? trained : null };
}

/**
 * Whether the data differs from what the version was trained on: a new interaction, or training
 * rows gone (deleted, or changed and so counted as new) — fewer left than training read.
 */
export function hasNewData(counts: NewDataCounts): boolean {
  return counts.recent > 0 || (counts.trained !== null && counts.baseline !== counts.trained);
}
