import { getDb, isPostgres, pgPool, sqliteHandle } from "@/lib/db";

// Bulk writers for the two training caches, from columns (typed arrays) instead of one object per
// row: at 20M interactions a run writes 1.35M neighbour rows and 7M recommendation rows, and
// building and binding row objects through the query builder cost minutes (issue 9). Read back
// through cache.ts; callers batch, each call is one transaction. SQLite: multi-row INSERTs from a
// prepared statement; PostgreSQL: one INSERT ... SELECT FROM unnest(arrays) per call.

const ROWS_PER_STATEMENT = 200;

/** Column name → values; NaN is written as NULL. */
type Columns = Record<string, ArrayLike<number>>;

/** PostgreSQL array type of each cache column. */
const PG_TYPES: Record<string, string> = { score: "float8[]", anchor_movie_id: "int4[]" };

async function writeColumns(table: string, columns: string[], data: Columns, n: number, constant: Record<string, number>): Promise<void> {
  if (n === 0) return;
  if (isPostgres()) return writeColumnsPg(table, columns, data, n, constant);
  const sqlite = sqliteHandle(getDb());
  const all = [...Object.keys(constant), ...columns];
  const row = `(${all.map(() => "?").join(",")})`;
  const head = `INSERT INTO ${table} (${all.join(", ")}) VALUES `;
  const many = sqlite.prepare(head + Array.from({ length: ROWS_PER_STATEMENT }, () => row).join(","));
  const one = sqlite.prepare(head + row);
  const width = all.length;
  const fixed = Object.values(constant);
  const params: (number | null)[] = new Array(ROWS_PER_STATEMENT * width).fill(null);
  const single: (number | null)[] = new Array(width).fill(null);
  const cols = columns.map((c) => data[c]);
  sqlite.transaction(() => {
    let r = 0;
    for (; r + ROWS_PER_STATEMENT <= n; r += ROWS_PER_STATEMENT) {
      let o = 0;
      for (let k = r; k < r + ROWS_PER_STATEMENT; k++) {
        for (const v of fixed) params[o++] = v;
        for (const c of cols) {
          const v = c[k];
          params[o++] = v === v ? v : null;
        }
      }
      many.run(params);
    }
    for (; r < n; r++) {
      let o = 0;
      for (const v of fixed) single[o++] = v;
      for (const c of cols) {
        const v = c[r];
        single[o++] = v === v ? v : null;
      }
      one.run(single);
    }
  })();
}

async function writeColumnsPg(table: string, columns: string[], data: Columns, n: number, constant: Record<string, number>): Promise<void> {
  const fixed = Object.entries(constant);
  const arrays = columns.map((c) => {
    const src = data[c];
    const out: (number | null)[] = new Array(n);
    for (let k = 0; k < n; k++) out[k] = src[k] === src[k] ? src[k] : null;
    return out;
  });
  const params = [...fixed.map(([, v]) => v), ...arrays];
  const constants = fixed.map((_, i) => `$${i + 1}`);
  const unnest = columns.map((c, i) => `$${fixed.length + i + 1}::${PG_TYPES[c] ?? "int4[]"}`);
  await pgPool().query(
    `INSERT INTO ${table} (${[...fixed.map(([k]) => k), ...columns].join(", ")}) SELECT ${[...constants, "u.*"].join(", ")} FROM unnest(${unnest.join(", ")}) AS u`,
    params,
  );
}

/** Rows [0, n) of item_neighbors for one version: movie, rank (1 = most similar), neighbour, score. */
export function writeNeighborColumns(
  versionId: number,
  cols: { movieId: Int32Array; rank: Int32Array; neighborId: Int32Array; score: Float32Array | Float64Array },
  n: number,
): Promise<void> {
  return writeColumns("item_neighbors", ["movie_id", "rank", "neighbor_id", "score"], { movie_id: cols.movieId, rank: cols.rank, neighbor_id: cols.neighborId, score: cols.score }, n, {
    model_version_id: versionId,
  });
}

/** Rows [0, n) of recommendations for one version; an anchorMovieId of NaN is written as NULL (no anchor). */
export function writeRecommendationColumns(
  versionId: number,
  cols: { userId: Int32Array; rank: Int32Array; movieId: Int32Array; score: Float32Array | Float64Array; anchorMovieId: Float64Array },
  n: number,
): Promise<void> {
  return writeColumns(
    "recommendations",
    ["user_id", "rank", "movie_id", "score", "anchor_movie_id"],
    { user_id: cols.userId, rank: cols.rank, movie_id: cols.movieId, score: cols.score, anchor_movie_id: cols.anchorMovieId },
    n,
    { model_version_id: versionId },
  );
}
