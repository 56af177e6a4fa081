import path from "node:path";

/** The bundled TMDB catalog (facts only), shipped under drizzle/seed/. */
export const seedCatalogPath = () => path.join(process.cwd(), "drizzle", "seed", "tmdb-catalog.json");
