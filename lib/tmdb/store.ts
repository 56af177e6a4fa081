import { and, asc, between, eq } from "drizzle-orm";
import type { CatalogMovieInput } from "@/lib/catalog/schemas";
import { upsertMovies, type UpsertResult } from "@/lib/catalog/upsert";
import { getDb, type Db } from "@/lib/db";
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
  return withTransaction(db, async () => {
    const result = await upsertMovies(db, input.movies);
    const row = { crawlKey: input.crawlKey, page: input.page, jobId: input.jobId, movieCount: input.movies.length };
    db.insert(crawlPages)
      .values({ ...row, completedAt: Date.now() })
      .onConflictDoUpdate({
        target: [crawlPages.crawlKey, crawlPages.page],
        set: { jobId: row.jobId, movieCount: row.movieCount, completedAt: Date.now() },
      })
      .run();
    return result;
  });
}

/**
 * An explicit transaction around async work. upsertMovies is async and opens its own (synchronous)
 * drizzle transaction; better-sqlite3 turns that into a SAVEPOINT when a transaction is already
 * open, so everything inside `work` commits or rolls back as one. `work` must not wait on I/O:
 * only this connection's synchronous statements may run while the transaction is open.
 */
async function withTransaction<T>(db: Db, work: () => Promise<T>): Promise<T> {
  const sqlite = db.$client;
  sqlite.exec("BEGIN IMMEDIATE");
  try {
    const result = await work();
    sqlite.exec("COMMIT");
    return result;
  } catch (err) {
    if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
    throw err;
  }
}
