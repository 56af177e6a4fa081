// `npm run simulate -- --scale 20m`: the scale generator (scale.ts) written straight to the
// database. Each batch of users — their user rows, their interactions and the resume marker — is
// one transaction, so a killed run leaves only whole batches behind and the next run continues
// after the last committed one (user n's history depends only on the seed and n).
import { randomUUID } from "node:crypto";
import type { Database } from "better-sqlite3";
import { createPlaceholderMovies } from "@/lib/catalog/placeholders";
import { seedCatalog } from "@/lib/catalog/seed";
import { getDb, isPostgres, sqliteHandle, transaction } from "@/lib/db";
import { ApiError } from "@/lib/http/errors";
import { forgetActivity, INTERACTIONS_TOKEN_KEY } from "@/lib/interactions/activity";
import { createJob, failStaleJobs, finishJob, updateJob } from "@/lib/jobs/queries";
import { formatCount, formatNumber } from "@/lib/util/format";
import { buildScaleWorld, generateScaleBatch, ScaleBatch, scaleExternalId, type ScaleOptions } from "./scale";
import { readScaleMarker, SCALE_MARKER_KEY, type ScaleMarker } from "./scale-marker";
import { loadSimulationCatalog } from "./write";

/** Ids of the stand-in movies beyond the bundled catalog: far above any TMDB id. */
export const SCALE_PLACEHOLDER_BASE = 90_000_000;
const ROWS_PER_INSERT = 200; // 6 parameters each: 1,200 per statement
const BATCH_USERS = 2000;
const REBUILDING_INDEXES = "rebuilding interaction indexes";

export type ScaleSummary = {
  jobId: number | null;
  options: ScaleOptions;
  users: number;
  interactions: number;
  realMovies: number;
  placeholderMovies: number;
  resumedFrom: number;
  alreadyComplete: boolean;
  durationMs: number;
};

/**
 * Movie id for each item index (= popularity rank): the bundled catalog's real movies, most popular
 * first, then placeholders (SCALE_PLACEHOLDER_BASE + rank) for the ranks the catalog cannot fill.
 */
async function scaleMovieIds(db: ReturnType<typeof getDb>, items: number): Promise<{ ids: Int32Array; real: number }> {
  const real = (await loadSimulationCatalog(db)).sort((a, b) => b.popularity - a.popularity || a.id - b.id);
  const ids = new Int32Array(items);
  const nReal = Math.min(items, real.length);
  for (let r = 0; r < items; r++) ids[r] = r < nReal ? real[r].id : SCALE_PLACEHOLDER_BASE + r;
  return { ids, real: nReal };
}

function indexName(ddl: string): string {
  const m = /CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:IF NOT EXISTS\s+)?(`[^`]+`|"[^"]+"|\S+)/i.exec(ddl);
  if (!m) throw new Error(`cannot read the index name in: ${ddl}`);
  return m[1];
}

/** Recreate the indexes a bulk load dropped (idempotent), then forget them. */
function restoreIndexes(sqlite: Database, marker: ScaleMarker | null): void {
  if (!marker?.indexes?.length) return;
  sqlite.pragma("cache_size = -1048576");
  for (const ddl of marker.indexes) sqlite.exec(/IF NOT EXISTS/i.test(ddl) ? ddl : ddl.replace(/^CREATE\s+(UNIQUE\s+)?INDEX\s+/i, "CREATE $1INDEX IF NOT EXISTS "));
  sqlite.prepare("UPDATE app_state SET value = ?, updated_at = ? WHERE key = ?").run(JSON.stringify({ ...marker, indexes: [] }), Date.now(), SCALE_MARKER_KEY);
}

export async function runScaleSimulation(
  options: ScaleOptions,
  hooks: {
    onProgress?: (doneUsers: number, totalUsers: number, interactions: number) => void;
    /** Users per transaction (default 2,000 ≈ 286k interactions at the presets' mean). */
    batchUsers?: number;
    /**
     * A long step with no progress count is starting (the job's message says the same): the
     * index rebuild after the last batch, about a minute at 10m, which is also all a re-run of a
     * load killed during it does.
     */
    onPhase?: (message: string) => void;
  } = {},
): Promise<ScaleSummary> {
  const started = Date.now();
  if (isPostgres()) {
    // The bulk loader drops and rebuilds SQLite indexes and writes through better-sqlite3.
    throw new ApiError("not_ready", "--scale writes a SQLite database (DATABASE_PATH); unset DATABASE_URL to use it");
  }
  await seedCatalog(); // idempotent: the real movies are the popular head
  const db = getDb();
  const sqlite = sqliteHandle(db);
  const { ids: movieIds, real } = await scaleMovieIds(db, options.items);
  const signature = JSON.stringify({ ...options, movies: real, firstMovie: movieIds[0] ?? null });

  const marker = readScaleMarker(sqlite);
  if (marker && marker.signature !== signature) {
    throw new ApiError(
      "conflict",
      "this database already holds a scale simulation with other options or another catalog; use a fresh DATABASE_PATH",
    );
  }
  const total = options.users;
  let next = marker?.nextUser ?? 0;
  const summary = (jobId: number | null, alreadyComplete: boolean): ScaleSummary => ({
    jobId,
    options,
    users: total,
    interactions: options.interactions,
    realMovies: real,
    placeholderMovies: options.items - real,
    resumedFrom: marker?.nextUser ?? 0,
    alreadyComplete,
    durationMs: Date.now() - started,
  });
  if (next >= total) {
    if (marker?.indexes?.length) hooks.onPhase?.(REBUILDING_INDEXES);
    restoreIndexes(sqlite, marker);
    return summary(null, true);
  }

  const placeholders: number[] = [];
  for (let r = real; r < options.items; r++) placeholders.push(movieIds[r]);
  await transaction((tx) => createPlaceholderMovies(tx, placeholders), db);

  // an interrupted load's job still says `running` until this (as a crawl or training run sweeps)
  await failStaleJobs();
  const job = await createJob("simulate", { scale: options, resumedFrom: next });
  // Bulk-load settings for this connection: a 1 GiB page cache keeps the interaction indexes' hot
  // pages in memory while 20M rows go in.
  sqlite.pragma("cache_size = -1048576");
  sqlite.pragma("temp_store = MEMORY");

  const insertUser = sqlite.prepare("INSERT INTO users (external_id, source, name) VALUES (?, 'simulated', ?)");
  const values = Array.from({ length: ROWS_PER_INSERT }, () => "(?,?,?,?,?,'simulated',?)").join(",");
  const insertMany = sqlite.prepare(`INSERT INTO interactions (user_id, movie_id, kind, value, watch_seconds, source, created_at) VALUES ${values}`);
  const insertOne = sqlite.prepare("INSERT INTO interactions (user_id, movie_id, kind, value, watch_seconds, source, created_at) VALUES (?,?,?,?,?,'simulated',?)");
  // Secondary indexes are dropped for the load and rebuilt once at the end: sorting 20M keys once
  // is several times faster than 20M random B-tree inserts into four indexes. Their DDL lives in the
  // marker, so whichever run finishes (this one, or the resume after a kill) puts them back.
  const indexes = [
    ...new Set([
      ...(marker?.indexes ?? []),
      ...(sqlite.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'interactions' AND sql IS NOT NULL").pluck().all() as string[]),
    ]),
  ];
  const saveMarker = sqlite.prepare(
    "INSERT INTO app_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
  );
  const params: (number | string | null)[] = new Array(ROWS_PER_INSERT * 6).fill(null);
  const one: (number | string | null)[] = new Array(6).fill(null);
  const put = (out: (number | string | null)[], o: number, userId: number, batch: ScaleBatch, p: number) => {
    out[o] = userId;
    out[o + 1] = movieIds[batch.item[p]];
    if (batch.rated[p]) {
      out[o + 2] = "rating";
      out[o + 3] = batch.value[p];
      out[o + 4] = null;
    } else {
      out[o + 2] = "watch";
      out[o + 3] = null;
      out[o + 4] = batch.watchSeconds[p];
    }
    out[o + 5] = batch.createdAt[p];
  };

  const world = buildScaleWorld(options);
  const batch = new ScaleBatch();
  const seen = new Int32Array(options.items);
  const batchUsers = hooks.batchUsers ?? BATCH_USERS;
  const userIds = new Float64Array(batchUsers);
  let written = 0;
  for (let u = 0; u < next; u++) written += world.counts[u];
  try {
    sqlite.transaction(() => {
      saveMarker.run(SCALE_MARKER_KEY, JSON.stringify({ signature, nextUser: next, firstUserId: marker?.firstUserId ?? null, indexes } satisfies ScaleMarker), Date.now());
      for (const ddl of indexes) sqlite.exec(`DROP INDEX IF EXISTS ${indexName(ddl)}`);
    }).immediate();
    while (next < total) {
      const to = Math.min(total, next + batchUsers);
      generateScaleBatch(world, next, to, batch, seen);
      const writeBatch = sqlite.transaction(() => {
        for (let u = next; u < to; u++) userIds[u - next] = Number(insertUser.run(scaleExternalId(u), `Scale user ${u + 1}`).lastInsertRowid);
        let filled = 0;
        for (let k = 0; k < batch.userCount; k++) {
          const userId = userIds[k];
          for (let p = batch.offsets[k]; p < batch.offsets[k + 1]; p++) {
            put(params, filled * 6, userId, batch, p);
            if (++filled === ROWS_PER_INSERT) {
              insertMany.run(params);
              filled = 0;
            }
          }
        }
        for (let f = 0; f < filled; f++) {
          for (let c = 0; c < 6; c++) one[c] = params[f * 6 + c];
          insertOne.run(one);
        }
        saveMarker.run(SCALE_MARKER_KEY, JSON.stringify({ signature, nextUser: to, firstUserId: marker?.firstUserId ?? userIds[0], indexes } satisfies ScaleMarker), Date.now());
        // as markInteractionsChanged does: serving processes forget what they knew of users
        saveMarker.run(INTERACTIONS_TOKEN_KEY, randomUUID(), Date.now());
      });
      writeBatch.immediate();
      forgetActivity();
      written += batch.length;
      next = to;
      hooks.onProgress?.(next, total, written);
      await updateJob(job.id, { progress: next / total, message: `${formatNumber(next)}/${formatCount(total, "user")}, ${formatCount(written, "interaction")}` });
    }
    hooks.onPhase?.(REBUILDING_INDEXES);
    await updateJob(job.id, { message: REBUILDING_INDEXES });
    restoreIndexes(sqlite, readScaleMarker(sqlite));
    const result = summary(job.id, false);
    await finishJob(job.id, { status: "succeeded", message: `${formatCount(total, "user")}, ${formatCount(written, "interaction")}`, stats: { users: total, interactions: written, durationMs: result.durationMs } });
    return result;
  } catch (err) {
    await finishJob(job.id, { status: "failed", error: (err as Error).message }).catch(() => {});
    throw err;
  }
}
