import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { ADMIN, signInAs } from "./accounts";
import { STATE_FILE } from "./server";

// Sustained load on /api/recommend (loopback, bounded) while an admin retrain runs in its worker
// and the serving model switches twice (the retrain's promotion, then a rollback). Every response
// must be 2xx and must be exactly the cached list of the ONE version it names — checked against
// the database after the load, so a response that mixed two versions' rows cannot pass.

const CONCURRENCY = 4;
const K = 10;

type Sample = { status: number; userId: number; version: number | null; source: string; ids: number[]; at: number };

function openDb(): Database.Database {
  const { dir } = JSON.parse(fs.readFileSync(STATE_FILE, "utf8")) as { dir: string };
  return new Database(path.join(dir, "e2e.db"), { readonly: true });
}

/** What serving must answer for (version, user) with no filters: the cached top-k, in rank order, placeholders skipped. */
function cachedTopK(db: Database.Database, version: number, userId: number): number[] {
  return db
    .prepare(
      `select r.movie_id from recommendations r join movies m on m.id = r.movie_id
       where r.model_version_id = ? and r.user_id = ? and m.placeholder = 0 order by r.rank limit ?`,
    )
    .pluck()
    .all(version, userId, K) as number[];
}

test("recommendations stay 2xx and single-version while a retrain switches the serving model", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const db = openDb();
  const servingBefore = Number((db.prepare("select value from app_state where key = 'serving_model_version'").get() as { value: string }).value);
  const users = db.prepare("select distinct user_id from recommendations where model_version_id = ? order by user_id limit 300").pluck().all(servingBefore) as number[];
  expect(users.length).toBeGreaterThan(100);

  await signInAs(page, ADMIN);

  const samples: Sample[] = [];
  let rolledBackTo = 0;
  let running = true;
  const started = Date.now();
  const loop = async (worker: number) => {
    for (let i = worker; running; i += CONCURRENCY) {
      const userId = users[i % users.length];
      const res = await fetch(`${baseURL}/api/recommend?userId=${userId}&k=${K}`);
      const body = (await res.json().catch(() => null)) as { modelVersion?: number | null; source?: string; items?: { id: number }[] } | null;
      samples.push({ status: res.status, userId, version: body?.modelVersion ?? null, source: body?.source ?? "", ids: body?.items?.map((m) => m.id) ?? [], at: Date.now() - started });
    }
  };
  const load = Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => loop(w)));
  const hardStop = setTimeout(() => (running = false), 90_000); // bounded whatever happens

  try {
    await page.waitForTimeout(1500);
    // A different algorithm than the serving EASE, so the two versions' lists differ and mixing would show.
    const queued = await page.request.post("/api/admin/jobs", { data: { kind: "train", params: { model: "item-knn", force: true } } });
    expect(queued.status(), await queued.text()).toBe(202);
    const jobId = (await queued.json()).job.id as number;

    let job: { status: string; error: string | null; stats: { versionId?: number } } = { status: "queued", error: null, stats: {} };
    await expect
      .poll(
        async () => {
          job = (await (await page.request.get(`/api/admin/jobs/${jobId}`)).json()).job;
          return job.status;
        },
        { timeout: 75_000, intervals: [500] },
      )
      .toMatch(/succeeded|failed|cancelled/);
    expect(job.status, job.error ?? "").toBe("succeeded");
    const newVersion = job.stats.versionId!;
    expect(newVersion).toBeGreaterThan(servingBefore);

    // Serving picks up a switch within ~2 s (snapshot re-read interval); keep the load on across it,
    // then switch back with a rollback and keep it on across that too.
    await page.waitForTimeout(3000);
    const rollback = await page.request.post("/api/admin/models/rollback");
    expect(rollback.status(), await rollback.text()).toBe(200);
    rolledBackTo = (await rollback.json()).servingVersion;
    await page.waitForTimeout(3000);
  } finally {
    running = false;
    clearTimeout(hardStop);
    await load;
  }

  const failed = samples.filter((s) => s.status < 200 || s.status >= 300);
  expect(failed.length, JSON.stringify(failed.slice(0, 5))).toBe(0);
  const versions = [...new Set(samples.map((s) => s.version))];
  expect(versions.length, `versions seen: ${versions.join(", ")}`).toBeGreaterThanOrEqual(2); // the switch happened under load
  // Both switches reached the load: the answers moved to the new version and, after the rollback, back.
  const byTime = [...samples].sort((x, y) => x.at - y.at);
  expect(byTime.slice(-20).every((s) => s.version === rolledBackTo), `last versions: ${byTime.slice(-20).map((s) => s.version)}`).toBe(true);

  // Every response equals the cache of the one version it names.
  let mismatched = 0;
  const examples: string[] = [];
  const checked = new Map<number | null, number>();
  for (const s of samples) {
    checked.set(s.version, (checked.get(s.version) ?? 0) + 1);
    const expected = s.version === null ? [] : cachedTopK(db, s.version, s.userId);
    if (s.source !== "model" || expected.length === 0 || JSON.stringify(s.ids) !== JSON.stringify(expected)) {
      mismatched++;
      if (examples.length < 3) examples.push(`user ${s.userId} v${s.version} ${s.source}: got ${s.ids.join(",")} expected ${expected.join(",")}`);
    }
  }
  expect(mismatched, examples.join("\n")).toBe(0);
  // The check has teeth: the versions' lists differ for most users, so a mixed answer would not match either.
  const [a, b] = versions as number[];
  const differing = users.filter((u) => JSON.stringify(cachedTopK(db, a, u)) !== JSON.stringify(cachedTopK(db, b, u))).length;
  expect(differing / users.length).toBeGreaterThan(0.5);
  db.close();

  const seconds = (Date.now() - started) / 1000;
  console.log(
    `load-retrain: ${samples.length} requests in ${seconds.toFixed(1)} s (${(samples.length / seconds).toFixed(0)}/s, ${CONCURRENCY} in flight), ` +
      `0 non-2xx, per version ${[...checked].map(([v, n]) => `v${v}: ${n}`).join(", ")}, ${differing}/${users.length} users' lists differ between v${a} and v${b}`,
  );
});
