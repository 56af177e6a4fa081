// What the scale benchmarks read from a benchmark database other than the configured one: the
// last training run's stats, the data's shape, and a MovieLens-format export for the scipy
// reference (../shared/reference/itemknn_topk.py). Read-only.
import fs from "node:fs";
import Database from "better-sqlite3";

export type TrainRunStats = {
  versionId: number;
  durationMs: number;
  stageSeconds: Record<string, number>;
  metrics: Record<string, number>;
};

function open(file: string) {
  if (!fs.existsSync(file)) throw new Error(`no database at ${file}`);
  return new Database(file, { readonly: true, fileMustExist: true });
}

/** The newest succeeded `train` job's stats. */
export function readLastTrainRun(file: string): TrainRunStats | null {
  const db = open(file);
  try {
    const row = db.prepare("SELECT stats FROM jobs WHERE kind = 'train' AND status = 'succeeded' ORDER BY id DESC LIMIT 1").pluck().get() as string | undefined;
    return row ? (JSON.parse(row) as TrainRunStats) : null;
  } finally {
    db.close();
  }
}

export function readDataShape(file: string): { interactions: number; users: number; movies: number } {
  const db = open(file);
  try {
    const n = (sql: string) => Number(db.prepare(sql).pluck().get());
    return {
      interactions: n("SELECT count(*) FROM interactions"),
      users: n("SELECT count(DISTINCT user_id) FROM interactions"),
      movies: n("SELECT count(DISTINCT movie_id) FROM interactions"),
    };
  } finally {
    db.close();
  }
}

/** `user<TAB>movie<TAB>1<TAB>seconds` per (user, movie) pair: the u.data layout the reference reads. */
export function exportPairsTsv(file: string, out: string): number {
  const db = open(file);
  const fd = fs.openSync(out, "w");
  let rows = 0;
  try {
    const stmt = db.prepare("SELECT user_id, movie_id, max(created_at) / 1000 FROM interactions GROUP BY user_id, movie_id").raw(true);
    let buf = "";
    for (const r of stmt.iterate() as IterableIterator<[number, number, number]>) {
      buf += `${r[0]}\t${r[1]}\t1\t${Math.floor(r[2])}\n`;
      if (++rows % 100_000 === 0) {
        fs.writeSync(fd, buf);
        buf = "";
      }
    }
    fs.writeSync(fd, buf);
    return rows;
  } finally {
    fs.closeSync(fd);
    db.close();
  }
}

/** A user with about `size` distinct movies in their history (the closest above, then below). */
export function findUserWithHistory(file: string, size: number): { userId: number; movies: number } | null {
  const db = open(file);
  try {
    const pick = (sql: string) =>
      db.prepare(`SELECT user_id AS userId, count(DISTINCT movie_id) AS movies FROM interactions GROUP BY user_id HAVING movies ${sql} LIMIT 1`).get(size) as
        | { userId: number; movies: number }
        | undefined;
    return pick(">= ? ORDER BY movies ASC, userId ASC") ?? pick("< ? ORDER BY movies DESC, userId ASC") ?? null;
  } finally {
    db.close();
  }
}
