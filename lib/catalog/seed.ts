import { createHash } from "node:crypto";
import fs from "node:fs";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { getState, setState } from "@/lib/db/state";
import { catalogMovieSchema } from "./schemas";
import { upsertMovies } from "./upsert";

import { seedCatalogPath } from "./seed-path";
const SEED_STATE_KEY = "seed.catalog.sha256";

/**
 * Load the bundled TMDB catalog into the database. Idempotent and cheap to call on every start:
 * it records the seed file's checksum and does nothing when that checksum was already applied.
 */
export async function seedCatalog(file = seedCatalogPath()): Promise<{ skipped: boolean; added: number; updated: number }> {
  const text = fs.readFileSync(file, "utf8");
  const sha = createHash("sha256").update(text).digest("hex");
  if ((await getState(SEED_STATE_KEY)) === sha) return { skipped: true, added: 0, updated: 0 };
  const parsed = z.array(catalogMovieSchema).parse(JSON.parse(text));
  const result = await upsertMovies(getDb(), parsed);
  await setState(SEED_STATE_KEY, sha);
  return { skipped: false, ...result };
}
