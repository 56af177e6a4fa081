import { seedCatalog } from "@/lib/catalog/seed";
import { runTraining } from "@/lib/recs/train";
import { runSimulation } from "@/lib/simulate/run";
import { useTempDb } from "./temp-db";

/** A temp database with the bundled catalog, `users` simulated users and one trained version. */
export async function useTrainedDb(opts: { users?: number; model?: "ease" | "item-knn" | "popularity" | "user-knn" } = {}) {
  const tmp = useTempDb();
  await seedCatalog();
  await runSimulation({ users: opts.users ?? 150, seed: 7 });
  const trained = await runTraining({ model: opts.model ?? "item-knn", topN: 30, neighbors: 30 });
  return { ...tmp, trained };
}
