import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertMovies } from "@/lib/catalog/upsert";
import { getDb } from "@/lib/db";
import { interactions, jobs, movies, users } from "@/lib/db/schema";
import { ImportCancelledError, importInteractions } from "@/lib/interactions/import";
import { getJob, requestCancel } from "@/lib/jobs/queries";
import { leaveJobRunning } from "../../helpers/abandoned-job";
import { useTempDb } from "../../helpers/temp-db";
import { catalogMovies, dataFingerprint, writeFile } from "./fixtures";

let tmp: ReturnType<typeof useTempDb>;
let dir: string;

// Catalog: TMDB ids 101..120. links.csv maps MovieLens k -> TMDB 100 + k; ML 21 -> TMDB 999
// (not in the catalog); ML 22 has no TMDB id.
const LINKS = ["movieId,imdbId,tmdbId", ...Array.from({ length: 20 }, (_, k) => `${k + 1},0${k},${101 + k}`), "21,0999,999", "22,0998,"].join("\n");
const T = 1_600_000_000; // epoch seconds

beforeAll(async () => {
  tmp = useTempDb();
  dir = tmp.dir;
  await upsertMovies(getDb(), catalogMovies(Array.from({ length: 20 }, (_, k) => 101 + k)));
  writeFile(dir, "links.csv", `${LINKS}\n`);
});
afterAll(() => tmp.cleanup());

const db = () => getDb();
const interactionsOf = (externalId: string) =>
  db()
    .select({ movieId: interactions.movieId, kind: interactions.kind, value: interactions.value, watchSeconds: interactions.watchSeconds, source: interactions.source, createdAt: interactions.createdAt })
    .from(interactions)
    .innerJoin(users, eq(users.id, interactions.userId))
    .where(eq(users.externalId, externalId))
    .orderBy(interactions.movieId, interactions.kind);

describe("importInteractions", () => {
  it("imports a generic CSV: ratings, watches, bare watched rows; users csv:<id>; a job", async () => {
    const file = writeFile(
      dir,
      "generic.csv",
      ["user_id,tmdb_id,rating,watch_seconds,timestamp", `alice,101,4.5,,${T}`, `alice,102,,5400,2020-09-13T12:26:40Z`, `alice,103,3,6000,${T}`, `bob,104,,,${T}`, ""].join("\n"),
    );
    // an import interrupted earlier (Ctrl-C) left its job `running`: this one settles it, as a crawl or training run would
    const interrupted = await leaveJobRunning("import", { file });
    const s = await importInteractions({ file });
    const [left] = await db().select().from(jobs).where(eq(jobs.id, interrupted.id));
    expect(left).toMatchObject({ status: "failed", error: `abandoned: process ${interrupted.workerPid} is gone (killed?)` });
    expect(s).toMatchObject({ format: "generic", namespace: "csv", validRows: 4, badRows: 0, rowsWritten: 4, users: 2, usersCreated: 2, interactions: 5, interactionsAdded: 5 });
    expect(await interactionsOf("csv:alice")).toEqual([
      { movieId: 101, kind: "rating", value: 4.5, watchSeconds: null, source: "imported", createdAt: T * 1000 },
      { movieId: 102, kind: "watch", value: null, watchSeconds: 5400, source: "imported", createdAt: Date.parse("2020-09-13T12:26:40Z") },
      { movieId: 103, kind: "rating", value: 3, watchSeconds: null, source: "imported", createdAt: T * 1000 },
      { movieId: 103, kind: "watch", value: null, watchSeconds: 6000, source: "imported", createdAt: T * 1000 },
    ]);
    expect(await interactionsOf("csv:bob")).toMatchObject([{ movieId: 104, kind: "watch", watchSeconds: null }]);
    const [bob] = await db().select().from(users).where(eq(users.externalId, "csv:bob"));
    expect(bob.source).toBe("imported");
    const [job] = await db().select().from(jobs).where(eq(jobs.id, s.jobId!));
    expect(job).toMatchObject({ kind: "import", status: "succeeded" });
  });

  it("imports MovieLens u.data through links.csv, and ratings.csv with unmapped and missing movies reported", async () => {
    const udata = writeFile(dir, "u.data", [`1\t1\t5\t${T}`, `1\t2\t3\t${T}`, `2\t3\t4\t${T}`].join("\n") + "\n");
    const a = await importInteractions({ file: udata, links: `${dir}/links.csv` });
    expect(a).toMatchObject({ format: "udata", namespace: "ml", rowsWritten: 3, usersCreated: 2 });
    expect((await interactionsOf("ml:1")).map((i) => [i.movieId, i.value])).toEqual([
      [101, 5],
      [102, 3],
    ]);

    const ratings = writeFile(
      dir,
      "ratings.csv",
      ["userId,movieId,rating,timestamp", `3,4,4.0,${T}`, `3,21,2.5,${T}`, `3,22,1.0,${T}`, `4,5,0.5,${T}`].join("\r\n") + "\r\n",
    );
    const b = await importInteractions({ file: ratings, links: `${dir}/links.csv` });
    expect(b).toMatchObject({
      format: "movielens-csv",
      validRows: 4,
      unmappedRows: 1,
      unmappedSample: [22],
      missingMovies: 1,
      missingRows: 1,
      missingSample: [999],
      rowsWritten: 2,
      links: { movies: 22, withoutTmdbId: 1 },
    });
    expect(await interactionsOf("ml:3")).toMatchObject([{ movieId: 104, kind: "rating", value: 4 }]);
  });

  it("takes u.data item ids as TMDB ids when no links are given, with a warning", async () => {
    const file = writeFile(dir, "tmdb.udata", `77\t110\t4\t${T}\n`);
    const s = await importInteractions({ file, namespace: "mine" });
    expect(s.warnings).toContain("no --links given: MovieLens item ids are taken to be TMDB ids");
    expect(await interactionsOf("mine:77")).toMatchObject([{ movieId: 110, value: 4 }]);
  });

  it("counts bad rows with their line numbers and imports the rest", async () => {
    const file = writeFile(
      dir,
      "bad.csv",
      ["user_id,tmdb_id,rating,watch_seconds,timestamp", `carol,105,4,,${T}`, `carol,106,7,,${T}`, "carol,xx,4,,1", "", `carol,107,4`, `carol,108,2.5,,${T}`].join("\n"),
    );
    const s = await importInteractions({ file });
    expect(s).toMatchObject({ dataRows: 5, validRows: 2, badRows: 3, rowsWritten: 2 });
    expect(s.problems).toEqual([
      { line: 3, reason: "rating must be at most 5" },
      { line: 4, reason: "tmdb_id must be a positive integer" },
      { line: 6, reason: "expected 5 comma-separated fields, got 3" },
    ]);
  });

  it("--strict aborts on the first bad row and leaves the data untouched", async () => {
    const before = await dataFingerprint(db());
    const file = writeFile(dir, "strict.csv", ["user_id,tmdb_id,rating,watch_seconds,timestamp", `dave,105,4,,${T}`, `dave,106,4.2,,${T}`, `dave,107,4,,${T}`].join("\n"));
    await expect(importInteractions({ file, strict: true })).rejects.toThrow(/line 3: rating must be in steps of 0.5 \(--strict: nothing was imported\)/);
    expect(await dataFingerprint(db())).toEqual(before);
    const [job] = (await db().select().from(jobs).orderBy(jobs.id)).slice(-1);
    expect(job).toMatchObject({ kind: "import", status: "failed" });
  });

  it("re-importing a file duplicates nothing; a newer row updates, an older one does not", async () => {
    const file = writeFile(dir, "again.csv", ["user_id,tmdb_id,rating,watch_seconds,timestamp", `erin,101,3,,${T}`, `erin,102,4,,${T}`].join("\n"));
    await importInteractions({ file });
    const before = await dataFingerprint(db());
    const again = await importInteractions({ file });
    expect(again).toMatchObject({ usersCreated: 0, interactionsAdded: 0, interactionsUpdated: 0, interactionsUnchanged: 2 });
    expect(await dataFingerprint(db())).toEqual(before);

    const newer = writeFile(dir, "newer.csv", ["user_id,tmdb_id,rating,watch_seconds,timestamp", `erin,101,5,,${T + 60}`, `erin,102,1,,${T - 60}`].join("\n"));
    const s = await importInteractions({ file: newer });
    expect(s).toMatchObject({ interactionsAdded: 0, interactionsUpdated: 1, interactionsUnchanged: 1 });
    expect((await interactionsOf("csv:erin")).map((i) => i.value)).toEqual([5, 4]);
  });

  it("of rows for one user, movie and kind the newest wins, of equally new ones the last; re-importing changes nothing", async () => {
    const file = writeFile(
      dir,
      "ties.csv",
      ["user_id,tmdb_id,rating,watch_seconds,timestamp", `hal,101,4,,${T}`, `hal,101,2,,${T}`, `hal,102,5,,${T + 60}`, `hal,102,1,,${T}`, `hal,103,3,,${T}`].join("\n"),
    );
    const first = await importInteractions({ file });
    expect(first).toMatchObject({ interactions: 5, interactionsAdded: 3, interactionsUpdated: 0, interactionsUnchanged: 0, interactionsSuperseded: 2 });
    expect((await interactionsOf("csv:hal")).map((i) => [i.movieId, i.value])).toEqual([[101, 2], [102, 5], [103, 3]]);
    const idsOf = async () =>
      (await db().select({ id: interactions.id }).from(interactions).innerJoin(users, eq(users.id, interactions.userId)).where(eq(users.externalId, "csv:hal")).orderBy(interactions.movieId)).map((r) => r.id);
    const ids = await idsOf();
    const before = await dataFingerprint(db());
    // written in file order, the two equally old ratings of 101 replaced each other (and took a new id) every time
    const again = await importInteractions({ file });
    expect(again).toMatchObject({ interactionsAdded: 0, interactionsUpdated: 0, interactionsUnchanged: 3, interactionsSuperseded: 2 });
    expect(await idsOf()).toEqual(ids);
    expect(await dataFingerprint(db())).toEqual(before);
  });

  it("keeps one user's rows in one write batch, so such rows are reduced together even where a batch of 5,000 fills up", async () => {
    // sorted by user, as MovieLens files are: the 5,000th row is the first of two for one key
    const others = Array.from({ length: 4999 }, (_, i) => `bulk${i},101,4,,${T}`);
    const file = writeFile(dir, "boundary.csv", ["user_id,tmdb_id,rating,watch_seconds,timestamp", ...others, `zed,102,4,,${T}`, `zed,102,2,,${T}`].join("\n"));
    const first = await importInteractions({ file });
    expect(first).toMatchObject({ rowsWritten: 5001, interactionsAdded: 5000, interactionsSuperseded: 1 });
    expect((await interactionsOf("csv:zed")).map((i) => i.value)).toEqual([2]);
    const again = await importInteractions({ file });
    expect(again).toMatchObject({ interactionsAdded: 0, interactionsUpdated: 0, interactionsUnchanged: 5000, interactionsSuperseded: 1 });
  });

  it("skips movies missing from the catalog, or adds placeholders with createMissing", async () => {
    const file = writeFile(dir, "missing.csv", ["user_id,tmdb_id,rating,watch_seconds,timestamp", `frank,101,4,,${T}`, `frank,5001,4,,${T}`, `frank,5002,3,,${T}`, `gina,5001,5,,${T}`].join("\n"));
    const skipped = await importInteractions({ file });
    expect(skipped).toMatchObject({ missingMovies: 2, missingRows: 3, missingSample: [5001, 5002], rowsWritten: 1, placeholdersCreated: 0 });
    expect(await db().select().from(users).where(eq(users.externalId, "csv:gina"))).toEqual([]); // no rows, no user

    const created = await importInteractions({ file, createMissing: true });
    expect(created).toMatchObject({ missingMovies: 2, placeholdersCreated: 2, rowsWritten: 4 });
    const [placeholder] = await db().select().from(movies).where(eq(movies.id, 5001));
    expect(placeholder).toMatchObject({ title: "TMDB #5001", placeholder: true });
    expect(await interactionsOf("csv:gina")).toMatchObject([{ movieId: 5001, value: 5 }]);
  });

  it("fails clearly and changes nothing when there is nothing valid to import", async () => {
    const before = await dataFingerprint(db());
    const header = "user_id,tmdb_id,rating,watch_seconds,timestamp";
    await expect(importInteractions({ file: writeFile(dir, "empty.csv", "") })).rejects.toThrow(/is empty/);
    await expect(importInteractions({ file: writeFile(dir, "header.csv", `${header}\n`) })).rejects.toThrow(/no data rows/);
    await expect(importInteractions({ file: writeFile(dir, "allbad.csv", `${header}\nx,y,z,,\n`) })).rejects.toThrow(/no valid rows \(1 bad; line 2: tmdb_id must be a positive integer\)/);
    await expect(importInteractions({ file: writeFile(dir, "nomatch.csv", `${header}\nh,7777,4,,${T}\n`) })).rejects.toThrow(/nothing to import: 1 row for 1 movie not in the catalog/);
    await expect(importInteractions({ file: writeFile(dir, "utf16.csv", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${header}\n`, "utf16le")])) })).rejects.toThrow(/UTF-16/);
    await expect(importInteractions({ file: writeFile(dir, "what.txt", "hello\n") })).rejects.toThrow(/unrecognised format/);
    expect(await dataFingerprint(db())).toEqual(before);
  });

  it("rolls back everything when the write fails half-way", async () => {
    const before = await dataFingerprint(db());
    const rows = Array.from({ length: 12_000 }, (_, i) => `u${i % 300},${101 + (i % 20)},${1 + (i % 4)},,${T + i}`);
    const file = writeFile(dir, "crash.csv", ["user_id,tmdb_id,rating,watch_seconds,timestamp", ...rows].join("\n"));
    const crash = importInteractions(
      { file },
      {
        onProgress: (phase, done) => {
          if (phase === "write" && done >= 10_000) throw new Error("disk on fire");
        },
      },
    );
    await expect(crash).rejects.toThrow("disk on fire");
    expect(await dataFingerprint(db())).toEqual(before);
    expect(await db().select().from(users).where(and(eq(users.source, "imported"), eq(users.externalId, "csv:u1")))).toEqual([]);
  });

  it("stops when an admin asks through its job row (from any instance), before writing or half-way through, and imports nothing", async () => {
    // was: the request was recorded, and the import went on to the end
    const rows = Array.from({ length: 12_000 }, (_, i) => `s${i % 300},${101 + (i % 20)},${1 + (i % 4)},,${T + i}`);
    const file = writeFile(dir, "stopped.csv", ["user_id,tmdb_id,rating,watch_seconds,timestamp", ...rows].join("\n"));
    for (const [phase, at] of [["validate", 0], ["write", 5_000]] as const) {
      const before = await dataFingerprint(db());
      let jobId = 0;
      const stopped = importInteractions(
        { file },
        {
          onProgress: async (p, done) => {
            if (jobId === 0) [{ id: jobId }] = await db().select({ id: jobs.id }).from(jobs).orderBy(desc(jobs.id)).limit(1);
            if (p === phase && done >= at) await requestCancel(jobId, "admin@example.com");
          },
        },
      );
      await expect(stopped, phase).rejects.toThrow(ImportCancelledError);
      await expect(stopped, phase).rejects.toThrow("cancelled by admin@example.com; nothing was imported");
      expect(await dataFingerprint(db()), phase).toEqual(before);
      expect(await getJob(jobId), phase).toMatchObject({ status: "cancelled", error: "cancelled by admin@example.com", message: "nothing was imported" });
    }
    // not asked: the same file imports
    expect((await importInteractions({ file })).rowsWritten).toBe(12_000);
  });

  it("a dry run validates and reports but writes nothing, not even a job", async () => {
    const before = await dataFingerprint(db());
    const jobsBefore = (await db().select().from(jobs)).length;
    const file = writeFile(dir, "dry.csv", ["user_id,tmdb_id,rating,watch_seconds,timestamp", `ivy,101,4,,${T}`, `ivy,9999,4,,${T}`].join("\n"));
    const s = await importInteractions({ file, dryRun: true });
    expect(s).toMatchObject({ dryRun: true, jobId: null, validRows: 2, missingMovies: 1, rowsWritten: 0 });
    expect(await dataFingerprint(db())).toEqual(before);
    expect((await db().select().from(jobs)).length).toBe(jobsBefore);
  });
});
