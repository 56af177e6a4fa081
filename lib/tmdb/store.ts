import { and, asc, between, eq } from "drizzle-orm";
import type { CatalogMovieInput } from "@/lib/catalog/schemas";
import { upsertMovies, type UpsertResult } from "@/lib/catalog/upsert";
import { getDb, transaction } from "@/lib/db";
import { crawlPages } from "@/lib/db/schema";

// Database side of the crawl: resume state (crawl_pages) and the genre list.

export async function listCompletedPages(crawlKey: string, from: number, to: number): Promise<number[]> {
  const rows = await getDb()
    .select({ page: crawlPages.page })
    .from(crawlPages)
    .where(and(eq(crawlPages.crawlKey, crawlKey), between(crawlPages.page, from, to)))
    .orderBy(asc(crawlPages.page));
  return rows.map((r) => r.page);
}

/** Forget the completed pages of a crawl key in a page range (`--restart`). */
export async function clearCompletedPages(crawlKey: string, from: number, to: number): Promise<number> {
  const res = await getDb()
    .delete(crawlPages)
    .where(and(eq(crawlPages.crawlKey, crawlKey), between(crawlPages.page, from, to)))
    .returning({ page: crawlPages.page });
  return res.length;
}

/**
 * Upsert a page's movies and, when the page is complete, record it in crawl_pages in the same
 * transaction: a crash leaves either both or neither, so a resumed crawl never skips a page whose
 * movies are missing. An incomplete page still saves the movies it got (upserts are idempotent)
 * but is not recorded, so the next run fetches it again.
 */
export async function saveCrawledPage(input: {
  crawlKey: string;
  page: number;
  jobId: number;
  movies: CatalogMovieInput[];
  complete: boolean;
}): Promise<UpsertResult> {
  const db = getDb();
  if (!input.complete) return upsertMovies(db, input.movies);
  // upsertMovies joins this transaction (tx.ts nests by async context).
  return transaction(async (tx) => {
    const result = await upsertMovies(tx, input.movies);
    const row = { crawlKey: input.crawlKey, page: input.page, jobId: input.jobId, movieCount: input.movies.length };
    await tx
      .insert(crawlPages)
      .values({ ...row, completedAt: Date.now() })
      .onConflictDoUpdate({
        target: [crawlPages.crawlKey, crawlPages.page],
        set: { jobId: row.jobId, movieCount: row.movieCount, completedAt: Date.now() },
      });
    return result;
  }, db);
}
