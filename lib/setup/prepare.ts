import { countMovies } from "@/lib/catalog/queries";
import { seedCatalog } from "@/lib/catalog/seed";
import { getDb, isPostgres, migrationsAppliedAtOpen, pgPool } from "@/lib/db";
import { migratePostgres, withSessionLock } from "@/lib/db/postgres";
import { getEnv } from "@/lib/env";
import { getServingVersionId } from "@/lib/mlops/registry";
import { CliError } from "@/lib/cli";
import { EaseTooManyItemsError } from "@/lib/recs/models/ease";
import { runTraining, TrainingError, TrainingInProgressError } from "@/lib/recs/train";
import { simulateIfEmpty } from "@/lib/simulate/run";

export type PrepareReport = { steps: string[]; seconds: number };

/**
 * For the scripts that prepare (prepare-data, start): the first training's refusals an operator
 * acts on (EASE over its item limit on a large imported catalog, no interactions) as one line,
 * exit 1, instead of a stack trace. Anything else is rethrown.
 */
export function trainingFailure(err: unknown): never {
  if (err instanceof TrainingError || err instanceof EaseTooManyItemsError) throw new CliError(`model: ${err.message}`);
  throw err;
}

/**
 * Prepare the embedded default on the configured database: migrations, the bundled catalog,
 * simulated users when there are no interactions yet (or finishing that simulation when an
 * interrupted prepare left it half-done), a trained model when none serves.
 * Every step is idempotent and skipped when already done, so it runs on every start.
 */
export async function prepareEmbeddedDefault(log: (line: string) => void = () => {}): Promise<PrepareReport> {
  const url = getEnv().DATABASE_URL;
  if (!url) return prepare(log, () => migrationsAppliedAtOpen(getDb())); // opening SQLite applies pending migrations
  // PostgreSQL: replicas starting together take turns (the first prepares, the rest find it done).
  const applied = await migratePostgres(url);
  return withSessionLock(pgPool(), "matinee:prepare", () => prepare(log, () => applied));
}

async function prepare(log: (line: string) => void, migrate: () => number): Promise<PrepareReport> {
  const started = Date.now();
  const steps: string[] = [];
  const step = (line: string) => {
    steps.push(line);
    log(line);
  };
  const applied = migrate();
  step(`migrations: ${applied > 0 ? `applied ${applied}` : "up to date"} (${isPostgres() ? "PostgreSQL" : "SQLite"})`);
  const seed = await seedCatalog();
  step(
    seed.skipped
      ? `catalog: already seeded (${await countMovies()} movies)`
      : `catalog: seeded ${seed.added} new, ${seed.updated} updated movies`,
  );
  const sim = await simulateIfEmpty();
  step(
    sim.skipped
      ? `interactions: ${sim.existingInteractions} already recorded, simulation skipped`
      : `interactions: ${sim.resumed ? "finished the interrupted simulation: " : "simulated "}${sim.users} users, ${sim.watches} watches, ${sim.ratings} ratings`,
  );
  const serving = await getServingVersionId();
  if (serving !== null) step(`model: version ${serving} is serving`);
  else {
    try {
      const trained = await runTraining({ onProgress: () => {} });
      step(`model: trained version ${trained.versionId} (nDCG@10 ${trained.metrics["ndcg@10"]?.toFixed(3)}) in ${(trained.durationMs / 1000).toFixed(1)}s`);
    } catch (err) {
      // An admin's retrain, or the run of a pod that was restarted, is already at it: serving starts
      // without a model (popular picks; /api/health/ready says so) and takes it when it finishes.
      if (!(err instanceof TrainingInProgressError)) throw err;
      step(`model: none serves yet; training job #${err.job.id} is ${err.job.status} and will provide one`);
    }
  }
  return { steps, seconds: (Date.now() - started) / 1000 };
}
