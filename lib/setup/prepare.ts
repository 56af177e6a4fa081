import { countMovies } from "@/lib/catalog/queries";
import { seedCatalog } from "@/lib/catalog/seed";
import { getDb } from "@/lib/db";
import { simulateIfEmpty } from "@/lib/simulate/run";

export type PrepareReport = { steps: string[]; seconds: number };

/**
 * Prepare the embedded default on the configured database: migrations, the bundled catalog,
 * simulated users when there are no interactions yet.
 * Every step is idempotent and skipped when already done, so it runs on every start.
 */
export async function prepareEmbeddedDefault(log: (line: string) => void = () => {}): Promise<PrepareReport> {
  const started = Date.now();
  const steps: string[] = [];
  const step = (line: string) => {
    steps.push(line);
    log(line);
  };
  getDb(); // opens the database and applies pending migrations
  step("migrations: up to date");
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
      : `interactions: simulated ${sim.users} users, ${sim.watches} watches, ${sim.ratings} ratings`,
  );
  return { steps, seconds: (Date.now() - started) / 1000 };
}
