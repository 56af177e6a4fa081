import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/http/errors";
import { importInteractions } from "@/lib/interactions/import";
import { recordInteraction } from "@/lib/interactions/queries";
import { runSimulation } from "@/lib/simulate/run";
import { resolveScaleOptions } from "@/lib/simulate/scale";
import { runScaleSimulation, SCALE_PLACEHOLDER_BASE } from "@/lib/simulate/scale-run";
import { jobs } from "@/lib/db/schema";
import { leaveJobRunning } from "../../helpers/abandoned-job";
import { useTempDb } from "../../helpers/temp-db";
import { writeFile } from "../interactions/fixtures";

let tmp: ReturnType<typeof useTempDb>;
beforeAll(() => {
  tmp = useTempDb();
});
afterAll(() => tmp.cleanup());

const options = resolveScaleOptions({ users: 300, items: 5000, interactions: 12_000, seed: 3 });
const count = (sql: string) => Number(getDb().$client.prepare(sql).pluck().get());
/** The token serving processes watch to forget what they knew of users (lib/interactions/activity.ts). */
const interactionsToken = () => getDb().$client.prepare("SELECT value FROM app_state WHERE key = 'interactions_generation'").pluck().get();

describe("runScaleSimulation", () => {
  it("a run killed between batches leaves whole batches only, and the next run resumes to the same total", async () => {
    const crash = new Error("killed");
    await expect(
      runScaleSimulation(options, {
        batchUsers: 100,
        onProgress: (done) => {
          if (done === 100) throw crash;
        },
      }),
    ).rejects.toBe(crash);
    // the first batch is committed with its marker; nothing of the second. The interaction indexes
    // are dropped during the load and come back when a run finishes.
    expect(count("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'interactions' AND sql IS NOT NULL")).toBe(0)
    expect(count("SELECT count(*) FROM users WHERE external_id LIKE 'scale:%'")).toBe(100);
    const firstBatch = count("SELECT count(*) FROM interactions");
    expect(firstBatch).toBeGreaterThan(0);
    const token = interactionsToken();
    expect(token).toEqual(expect.any(String)); // written with the batch

    // Every interaction write is an upsert on the dropped unique key: until the load finishes, an
    // import, a simulation and a rating in the app are refused with how to finish it (they died
    // with SQLite's "ON CONFLICT clause does not match any PRIMARY KEY or UNIQUE constraint").
    const unfinished = { code: "not_ready", message: expect.stringMatching(/`simulate --scale` bulk load .* is unfinished.*re-run `npm run simulate -- --scale 12000 --seed 3` to finish it/) };
    const movieId = count("SELECT min(id) FROM movies WHERE placeholder = 0");
    const csv = writeFile(tmp.dir, "one.csv", `user_id,tmdb_id,rating,watch_seconds,timestamp\nu1,${movieId},4,,1600000000\n`);
    const scaleUser = count("SELECT min(id) FROM users WHERE external_id LIKE 'scale:%'");
    for (const write of [
      () => importInteractions({ file: csv }),
      () => runSimulation({ users: 5, seed: 1 }),
      () => recordInteraction({ kind: "rating", userId: scaleUser, movieId, value: 4 }),
    ]) {
      const err = await write().then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toMatchObject(unfinished);
    }
    expect(count("SELECT count(*) FROM interactions")).toBe(firstBatch);

    // a load interrupted by Ctrl-C leaves its job `running` (this one failed itself): the re-run settles it
    const interrupted = await leaveJobRunning("simulate", { scale: options });
    const events: string[] = [];
    const resumed = await runScaleSimulation(options, {
      batchUsers: 100,
      onProgress: (done) => void events.push(`${done} users`),
      onPhase: (message) => void events.push(message),
    });
    // the index rebuild, the last long step, is announced after the last batch (the CLI prints it)
    expect(events).toEqual(["200 users", "300 users", "rebuilding interaction indexes"]);
    const [left] = await getDb().select().from(jobs).where(eq(jobs.id, interrupted.id));
    expect(left).toMatchObject({ status: "failed", error: `abandoned: process ${interrupted.workerPid} is gone (killed?)` });
    expect(interactionsToken()).not.toBe(token);
    expect(resumed).toMatchObject({ resumedFrom: 100, alreadyComplete: false, users: 300 });
    expect(count("SELECT count(*) FROM users WHERE external_id LIKE 'scale:%'")).toBe(300);
    expect(count("SELECT count(*) FROM interactions")).toBe(12_000);
    expect(count("SELECT count(DISTINCT user_id || ':' || movie_id) FROM interactions")).toBe(12_000);
    const indexes = getDb().$client.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'interactions' AND sql IS NOT NULL").pluck().all();
    expect(indexes).toEqual(expect.arrayContaining(["interactions_user_movie_kind_uq", "interactions_movie_idx", "interactions_created_idx"]));
    // and the writes go through again
    expect(await importInteractions({ file: csv })).toMatchObject({ interactionsAdded: 1 });
  });

  it("uses the bundled catalog as the popular head and placeholders for the rest", async () => {
    const real = count("SELECT count(*) FROM movies WHERE placeholder = 0");
    expect(real).toBeGreaterThan(4000);
    expect(count(`SELECT count(*) FROM movies WHERE placeholder = 1 AND id >= ${SCALE_PLACEHOLDER_BASE}`)).toBe(5000 - Math.min(5000, real));
    // every interaction points at an existing movie (foreign keys are on)
    expect(count("SELECT count(*) FROM interactions i LEFT JOIN movies m ON m.id = i.movie_id WHERE m.id IS NULL")).toBe(0);
    // the head is real: most interactions land on catalog movies
    expect(count("SELECT count(*) FROM interactions i JOIN movies m ON m.id = i.movie_id WHERE m.placeholder = 0")).toBeGreaterThan(6000);
  });

  it("a finished run is not repeated; other options on the same database are refused", async () => {
    expect(await runScaleSimulation(options)).toMatchObject({ alreadyComplete: true });
    expect(count("SELECT count(*) FROM interactions WHERE source = 'simulated'")).toBe(12_000);
    await expect(runScaleSimulation({ ...options, seed: 4 })).rejects.toThrow(/fresh DATABASE_PATH/);
  });
});
