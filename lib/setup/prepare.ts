import { countMovies } from "@/lib/catalog/queries";
import { seedCatalog } from "@/lib/catalog/seed";
import { getDb } from "@/lib/db";

export type PrepareReport = { steps: string[]; seconds: number };

/**
 * Prepare the embedded default on the configured database: migrations, the bundled catalog.
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
  return { steps, seconds: (Date.now() - started) / 1000 };
}
