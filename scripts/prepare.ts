// Prepare the embedded default: migrate, seed the bundled catalog. Safe to run on every start.
import { seedCatalog } from "@/lib/catalog/seed";
import { countMovies } from "@/lib/catalog/queries";
import { runCli } from "@/lib/cli";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";

runCli(async () => {
  const started = Date.now();
  const env = getEnv();
  getDb(); // opens and migrates
  const seed = await seedCatalog();
  console.log(
    seed.skipped
      ? `catalog: already seeded (${await countMovies()} movies)`
      : `catalog: seeded ${seed.added} new, ${seed.updated} updated movies`,
  );
  console.log(`prepared ${env.DATABASE_PATH} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
});
