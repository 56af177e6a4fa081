import { asc, count, eq, gte } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as stopRoute } from "@/app/api/admin/experiments/[id]/stop/route";
import { GET as reportRoute } from "@/app/api/admin/experiments/[id]/route";
import { GET as listRoute, POST as createRoute } from "@/app/api/admin/experiments/route";
import { POST as batchRoute } from "@/app/api/recommend/batch/route";
import { GET as recommendByPathRoute } from "@/app/api/recommend/[userId]/route";
import { POST as clickRoute } from "@/app/api/recommend/clicks/route";
import { GET as recommendRoute } from "@/app/api/recommend/route";
import { createApiKey } from "@/lib/apikeys/keys";
import { registerAccount } from "@/lib/auth/accounts";
import { readSessionClaims } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { experimentImpressions, interactions, movies, users } from "@/lib/db/schema";
import { invalidateRunningExperiment, SHOWN_IN_APP } from "@/lib/experiments/serve";
import { assignArm } from "@/lib/experiments/stats";
import { recordInteraction } from "@/lib/interactions/queries";
import { resetEnvForTests } from "@/lib/env";
import { listModelEvents } from "@/lib/mlops/actions";
import { getServingVersionId, hasCache, invalidateServingSnapshot, promoteModelVersion, pruneOldCaches } from "@/lib/mlops/registry";
import { serveRecommendations } from "@/lib/recs/api";
import { getPersonalFeed } from "@/lib/recs/home";
import { runTraining } from "@/lib/recs/train";
import { call, expectErrorShape } from "../helpers/call";
import { useTrainedDb } from "../helpers/trained-db";

// A/B experiments end to end in-process: the admin API, serving through an arm, impressions,
// clicks and watches attributed to the arm, stopping with promotion.
vi.mock("@/lib/auth/session", () => ({ readSessionClaims: vi.fn(async () => null) }));
const signedInAs = (id: number | null) => vi.mocked(readSessionClaims).mockResolvedValue(id === null ? null : { id });

let tmp: Awaited<ReturnType<typeof useTrainedDb>>;
let adminId: number;
let userId: number;
let simulatedIds: number[];
let keyAuth: Record<string, string>;
beforeAll(async () => {
  tmp = await useTrainedDb({ users: 150, model: "item-knn" }); // v1, serving
  await runTraining({ model: "popularity", topN: 30, neighbors: 30, force: true }); // v2
  await promoteModelVersion(1); // v1 serves, v2 is a ready candidate
  adminId = (await registerAccount({ email: "admin@example.com", password: "password-1" })).id;
  userId = (await registerAccount({ email: "user@example.com", password: "password-2" })).id;
  simulatedIds = (await getDb().select({ id: users.id }).from(users).where(eq(users.source, "simulated")).orderBy(asc(users.id))).map((u) => u.id);
  // a server of the site that shows the lists it asks for to its users
  keyAuth = { authorization: `Bearer ${(await createApiKey("site", adminId)).key}` };
}, 120_000);
afterAll(() => tmp.cleanup());
beforeEach(() => {
  signedInAs(null);
  invalidateRunningExperiment();
  invalidateServingSnapshot();
});

const create = (body: unknown) => call(createRoute, "/api/admin/experiments", { method: "POST", body });
const report = (id: string) => call(reportRoute, `/api/admin/experiments/${id}`, { params: { id } });
const stop = (id: string, body: unknown = {}) => call(stopRoute, `/api/admin/experiments/${id}/stop`, { method: "POST", params: { id }, body });
const click = (body: unknown, headers?: Record<string, string>) => call(clickRoute, "/api/recommend/clicks", { method: "POST", body, headers });
const impressionCount = async () => (await getDb().select({ n: count() }).from(experimentImpressions))[0].n;
const recommend = (user: number, k: number, headers?: Record<string, string>) => call(recommendRoute, `/api/recommend?userId=${user}&k=${k}`, { headers });
const recommendByPath = (user: number, k: number, headers?: Record<string, string>) =>
  call(recommendByPathRoute, `/api/recommend/${user}?k=${k}`, { params: { userId: String(user) }, headers });
const batch = (userIds: number[], k: number, headers?: Record<string, string>) => call(batchRoute, "/api/recommend/batch", { method: "POST", body: { userIds, k }, headers });

describe("A/B experiments", () => {
  it("with no experiment running, serving logs nothing and responses carry no arm", async () => {
    const res = await serveRecommendations({ userId: simulatedIds[0], k: 5 }, SHOWN_IN_APP);
    expect(res.source).toBe("model");
    expect(res.experiment).toBeUndefined();
    expect(await impressionCount()).toBe(0);
    signedInAs(userId);
    const c = await click({ movieId: res.items[0].id });
    expect(c.status).toBe(200);
    expect(c.json).toEqual({ counted: false, experimentId: null, arm: null });
  });

  it("rejects bad input with 400 and the error shape, unknown versions with 404", async () => {
    signedInAs(adminId);
    const cases: [unknown, string][] = [
      [{ name: "x", arms: [{ versionId: 1, weight: 100 }] }, "arms"],
      [{ name: "x", arms: [{ versionId: 1, weight: 50 }, { versionId: 2, weight: 40 }] }, "arms"],
      [{ name: "x", arms: [{ versionId: 1, weight: 50 }, { versionId: 1, weight: 50 }] }, "arms"],
      [{ name: "", arms: [{ versionId: 1, weight: 50 }, { versionId: 2, weight: 50 }] }, "name"],
      [{ name: "x", arms: [{ versionId: 1, weight: 50 }, { versionId: 2, weight: 50 }], extra: 1 }, "extra"],
      [{ name: "x", primaryMetric: "revenue", arms: [{ versionId: 1, weight: 50 }, { versionId: 2, weight: 50 }] }, "primaryMetric"],
    ];
    for (const [body, field] of cases) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = expectErrorShape(res.json);
      expect(error.code).toBe("bad_request");
      expect(Object.keys((error.details as { fields: Record<string, string[]> }).fields)).toContain(field);
    }
    expect((await call(createRoute, "/api/admin/experiments", { method: "POST", body: "name=x", headers: { "content-type": "text/plain" } })).status).toBe(415);
    const unknown = await create({ name: "x", arms: [{ versionId: 1, weight: 50 }, { versionId: 99, weight: 50 }] });
    expect(unknown.status).toBe(404);
    expect(expectErrorShape(unknown.json).message).toMatch(/no model version 99/);
    expect((await report("999")).status).toBe(404);
    expect((await report("x")).status).toBe(400);
    expect((await stop("999")).status).toBe(404);
    expect((await call(listRoute, "/api/admin/experiments")).json).toEqual({ items: [], running: null });
  });

  it("starts one experiment at a time; the version caches of its arms survive pruning", async () => {
    signedInAs(adminId);
    const res = await create({ name: "item-knn vs popularity", arms: [{ versionId: 1, weight: 50 }, { versionId: 2, weight: 50 }] });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ id: 1, status: "running", primaryMetric: "watch_rate", createdByLabel: "admin@example.com", arms: [{ key: "A", versionId: 1, weight: 50 }, { key: "B", versionId: 2, weight: 50 }] });
    const again = await create({ name: "second", arms: [{ versionId: 1, weight: 50 }, { versionId: 2, weight: 50 }] });
    expect(again.status).toBe(409);
    expect(expectErrorShape(again.json).message).toMatch(/still running/);
    expect((await call(listRoute, "/api/admin/experiments")).json).toMatchObject({ running: 1, items: [{ id: 1 }] });

    // keep = 0 would drop every non-serving cache; v2 serves arm B, so it stays.
    await pruneOldCaches(0);
    expect(await hasCache(2)).toBe(true);
  });

  it("serves each user from their arm's version and logs one impression per item", async () => {
    const arms = [
      { key: "A", weight: 50, versionId: 1 },
      { key: "B", weight: 50, versionId: 2 },
    ];
    const seen = new Map<string, number>();
    let logged = 0;
    for (const id of simulatedIds.slice(0, 60)) {
      // an API key: a server of the site asking for the list it shows to this user
      const res = (await recommend(id, 5, keyAuth)).json;
      const expected = assignArm(arms, 1, id);
      expect(res.experiment).toEqual({ id: 1, arm: expected.key });
      expect(res.modelVersion).toBe(expected.versionId);
      seen.set(expected.key, (seen.get(expected.key) ?? 0) + 1);
      logged += res.items.length;
      // The same user asking again lands in the same arm.
      expect((await recommend(id, 5, keyAuth)).json.experiment?.arm).toBe(expected.key);
      logged += 5;
    }
    expect(seen.get("A")).toBeGreaterThan(10);
    expect(seen.get("B")).toBeGreaterThan(10);
    expect(await impressionCount()).toBe(logged);
    const rows = await getDb().select().from(experimentImpressions).where(eq(experimentImpressions.userId, simulatedIds[0])).orderBy(asc(experimentImpressions.id));
    expect(rows.map((r) => r.rank).slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]).toMatchObject({ experimentId: 1, arm: assignArm(arms, 1, simulatedIds[0]).key, surface: "api", source: "model" });

    // An unknown user gets popular picks: served, but not part of the experiment.
    const cold = (await recommend(987_654, 5, keyAuth)).json;
    expect(cold.source).toBe("popular");
    expect(cold.experiment).toBeUndefined();
    expect(await impressionCount()).toBe(logged);
  });

  it("counts only lists shown to their user: anonymous calls get their arm's list but log nothing", async () => {
    const arms = [
      { key: "A", weight: 50, versionId: 1 },
      { key: "B", weight: 50, versionId: 2 },
    ];
    const [u1, u2, u3, u4] = simulatedIds.slice(100, 104);
    const before = await impressionCount();
    // anonymous, with the default RECOMMEND_ACCESS=public: each form, a large k, any claimed IP
    for (const res of [
      await recommend(u1, 100),
      await recommend(u1, 100, { "x-forwarded-for": "203.0.113.7" }),
      await recommendByPath(u2, 100),
    ]) {
      expect(res.status).toBe(200);
      expect(res.json.source).toBe("model");
      // still served from the user's arm: assignment does not depend on who asks
      const arm = assignArm(arms, 1, res.json.userId);
      expect(res.json).toMatchObject({ modelVersion: arm.versionId, experiment: { id: 1, arm: arm.key } });
    }
    const anonymousBatch = await batch([u1, u2, u3], 50);
    expect(anonymousBatch.status).toBe(200);
    expect(anonymousBatch.json.results.map((r: { experiment?: { arm: string } }) => r.experiment?.arm)).toEqual([u1, u2, u3].map((u) => assignArm(arms, 1, u).key));
    // a signed-in user reading someone else's list, an admin's included, shows it to no one we can vouch for
    signedInAs(userId);
    await recommend(u1, 20);
    signedInAs(adminId);
    await recommend(u1, 20);
    await batch([u2, u3], 20);
    signedInAs(null);
    // a bad key is no key (public reads answer it like an anonymous call)
    expect((await recommend(u1, 20, { authorization: "Bearer mk_not-a-key" })).status).toBe(200);
    expect(await impressionCount()).toBe(before);

    // a batch with an API key: every personalised list counts
    const keyed = await batch([u3, u4], 7, keyAuth);
    expect(keyed.status).toBe(200);
    expect(await impressionCount()).toBe(before + 14);
    const rows = await getDb().select().from(experimentImpressions).where(eq(experimentImpressions.userId, u4));
    expect(rows).toHaveLength(7);
    expect(rows[0]).toMatchObject({ surface: "api", arm: assignArm(arms, 1, u4).key });
  });

  it("counts a signed-in user's own list from the API, with either access setting", async () => {
    // the account acted after training: its list is folded in (personalised) from its arm
    const films = await getDb().select({ id: movies.id }).from(movies).orderBy(asc(movies.id)).limit(5);
    for (const f of films) await recordInteraction({ userId, movieId: f.id, kind: "watch", watchSeconds: 5400 });
    const mine = () => getDb().select().from(experimentImpressions).where(eq(experimentImpressions.userId, userId));
    signedInAs(userId);
    const res = await recommend(userId, 6);
    expect(res.json).toMatchObject({ source: "folded_in", experiment: { id: 1 } });
    expect(await mine()).toHaveLength(6);
    expect((await recommendByPath(userId, 4)).status).toBe(200);
    expect(await mine()).toHaveLength(10);

    // private: the access check's caller is the one asked about
    process.env.RECOMMEND_ACCESS = "private";
    resetEnvForTests();
    try {
      await recommend(userId, 3);
      expect(await mine()).toHaveLength(13);
      signedInAs(adminId);
      await recommend(userId, 3); // an admin may read it, but is not the user it is for
      expect(await mine()).toHaveLength(13);
      signedInAs(null);
      await recommend(userId, 2, keyAuth);
      expect(await mine()).toHaveLength(15);
    } finally {
      delete process.env.RECOMMEND_ACCESS;
      resetEnvForTests();
    }
  });

  it("logs the home page grid as impressions too", async () => {
    const before = await impressionCount();
    const feed = await getPersonalFeed(simulatedIds[1]);
    expect(feed.grid.source).toBe("model");
    const rows = await getDb().select().from(experimentImpressions).where(eq(experimentImpressions.surface, "home"));
    expect(rows.length).toBe(feed.grid.movies.length);
    expect(await impressionCount()).toBe(before + feed.grid.movies.length);
  });

  it("attributes clicks, watches and ratings on shown movies to the arm", async () => {
    const arms = [
      { key: "A", weight: 50 },
      { key: "B", weight: 50 },
    ];
    const byArm = { A: [] as number[], B: [] as number[] };
    for (const id of simulatedIds.slice(0, 60)) byArm[assignArm(arms, 1, id).key as "A" | "B"].push(id);
    const [a] = byArm.A;
    const [b1, b2] = byArm.B;
    const shownTo = async (user: number) =>
      (await getDb().select().from(experimentImpressions).where(eq(experimentImpressions.userId, user)).orderBy(asc(experimentImpressions.id))).map((r) => r.movieId);
    const notShownTo = async (user: number) => {
      const shown = new Set(await shownTo(user));
      return (await getDb().select({ id: movies.id }).from(movies).orderBy(asc(movies.id)).limit(500)).find((m) => !shown.has(m.id))!.id;
    };
    signedInAs(adminId);
    const before = (await report("1")).json;

    // Simulated users have no sign-in: their clicks come from an API consumer with a key.
    const auth = { authorization: `Bearer ${(await createApiKey("clicks", adminId)).key}` };
    // A's user clicks and watches a shown movie; B's users: one click only, one rating only.
    const movieA = (await shownTo(a))[0];
    expect((await click({ movieId: movieA, userId: a }, auth)).json).toEqual({ counted: true, experimentId: 1, arm: "A" });
    expect((await click({ movieId: movieA, userId: a }, auth)).json).toMatchObject({ counted: false }); // once per pair
    await recordInteraction({ userId: a, movieId: movieA, kind: "watch", watchSeconds: 3000 });
    expect((await click({ movieId: (await shownTo(b1))[1], userId: b1 }, auth)).json).toMatchObject({ counted: true, arm: "B" });
    expect((await click({ movieId: await notShownTo(b1), userId: b1 }, auth)).json).toMatchObject({ counted: false, arm: null }); // not shown to them
    expect((await click({ movieId: movieA }, auth)).status).toBe(400); // a key must name the user
    signedInAs(userId);
    expect((await click({ movieId: movieA, userId: b2 })).status).toBe(403); // a session only reports for itself
    await recordInteraction({ userId: b2, movieId: (await shownTo(b2))[0], kind: "rating", value: 4.5 });
    await recordInteraction({ userId: b2, movieId: await notShownTo(b2), kind: "watch", watchSeconds: 100 }); // not shown: not attributed

    signedInAs(adminId);
    const after = (await report("1")).json;
    const delta = (arm: number, key: string) => after.arms[arm][key] - before.arms[arm][key];
    expect([delta(0, "clicks"), delta(0, "watches"), delta(0, "ratings")]).toEqual([1, 1, 0]);
    expect([delta(1, "clicks"), delta(1, "watches"), delta(1, "ratings")]).toEqual([1, 0, 1]);
    expect(after.arms[1].meanRating).toBe(4.5);
    const [armA, armB] = after.arms;
    expect(armA).toMatchObject({ key: "A", control: true, vsControl: null });
    expect(armA.ctr.rate).toBeCloseTo(armA.clicks / armA.pairs, 12);
    expect(armA.ctr.interval.low).toBeLessThan(armA.ctr.rate);
    expect(armB.vsControl.ctr).toMatchObject({ pValue: expect.any(Number), z: expect.any(Number) });
    expect(armA.impressions).toBeGreaterThanOrEqual(armA.pairs);
    expect(after.verdict).toMatch(/No significant difference|higher/);

    signedInAs(null);
    expect((await click({ movieId: movieA })).status).toBe(401);
    // an API key names the user, in the one wording (it said ["required"])
    const noUser = await click({ movieId: movieA }, auth);
    expect(noUser.status).toBe(400);
    expect(expectErrorShape(noUser.json).details).toEqual({ fields: { userId: ["is required"] } });
    const bad = await click({ movieId: "x", userId: a }, auth);
    expect(bad.status).toBe(400);
    expect(expectErrorShape(bad.json).code).toBe("bad_request");
  });

  it("stops with the winner promoted through the audited promote; then serving is plain again", async () => {
    signedInAs(adminId);
    const badArm = await stop("1", { promoteArm: "D" });
    expect(badArm.status).toBe(400);
    expect((await stop("1", { promoteArm: "Z" })).status).toBe(400);
    const res = await stop("1", { promoteArm: "B" });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ promotedVersion: 2, experiment: { status: "stopped", winnerArm: "B", promotion: "switched", stoppedByLabel: "admin@example.com" } });
    expect(res.json.experiment.finalCounts.map((c: { arm: string }) => c.arm).sort()).toEqual(["A", "B"]);
    expect(await getServingVersionId()).toBe(2);
    const [event] = await listModelEvents();
    expect(event).toMatchObject({ action: "promote", modelVersionId: 2, fromVersionId: 1, actorEmail: "admin@example.com", actorLabel: "admin@example.com via experiment #1" });
    expect((await stop("1")).status).toBe(409);

    const before = await impressionCount();
    const res2 = await serveRecommendations({ userId: simulatedIds[0], k: 5 }, SHOWN_IN_APP);
    expect(res2.experiment).toBeUndefined();
    expect(await impressionCount()).toBe(before);
    // The report is frozen at the stop: later watches are not attributed.
    const total = (r: { arms: { watches: number }[] }) => r.arms.reduce((n, a) => n + a.watches, 0);
    const atStop = (await report("1")).json;
    await new Promise((r) => setTimeout(r, 5));
    const shown = await getDb().select().from(experimentImpressions).where(eq(experimentImpressions.userId, simulatedIds[5])).orderBy(asc(experimentImpressions.id));
    await recordInteraction({ userId: simulatedIds[5], movieId: shown[2].movieId, kind: "watch", watchSeconds: 60 });
    const frozen = (await report("1")).json;
    expect(frozen.experiment.status).toBe("stopped");
    expect(total(frozen)).toBe(total(atStop));
    // a stopped experiment's verdict is final: no "yet", no advice to keep it running
    expect(frozen.verdict).not.toMatch(/\byet\b|keep it running/);

    // and it stays the report of the stop when the interactions it counted are rewritten, as a new
    // simulation does to simulated users' histories (was: counted again, watches fell to almost none)
    expect(total(atStop)).toBeGreaterThan(0);
    await getDb().delete(interactions).where(gte(interactions.createdAt, atStop.experiment.startedAt));
    const rewritten = (await report("1")).json;
    expect(rewritten.arms).toEqual(atStop.arms);
    expect(rewritten.verdict).toBe(atStop.verdict);
  });

  it("refuses to start an arm on a version whose cache was pruned", async () => {
    signedInAs(adminId);
    await pruneOldCaches(0); // v2 serves; v1's cache goes
    expect(await hasCache(1)).toBe(false);
    const res = await create({ name: "too late", arms: [{ versionId: 2, weight: 50 }, { versionId: 1, weight: 50 }] });
    expect(res.status).toBe(409);
    expect(expectErrorShape(res.json).message).toMatch(/cache was pruned/);
  });

  it("stops with an empty body (the same as {}), but refuses a body that is not JSON", async () => {
    signedInAs(adminId);
    await runTraining({ model: "popularity", topN: 30, neighbors: 30, force: true }); // v3
    const serving = await getServingVersionId();
    const started = await create({ name: "no-body stop", arms: [{ versionId: 2, weight: 50 }, { versionId: 3, weight: 50 }] });
    expect(started.status).toBe(201);
    const id = String(started.json.id);
    const notJson = await call(stopRoute, `/api/admin/experiments/${id}/stop`, { method: "POST", params: { id }, body: "promoteArm=B", headers: { "content-type": "text/plain" } });
    expect(notJson.status).toBe(415);
    const untyped = await call(stopRoute, `/api/admin/experiments/${id}/stop`, { method: "POST", params: { id }, body: "{}", headers: { "content-type": "" } });
    expect(untyped.status).toBe(415);
    const bare = await call(stopRoute, `/api/admin/experiments/${id}/stop`, { method: "POST", params: { id } });
    expect(bare.status).toBe(200);
    expect(bare.json).toMatchObject({ promotedVersion: null, experiment: { status: "stopped", winnerArm: null } });
    expect(await getServingVersionId()).toBe(serving);
    // what generic clients send: the JSON type with an empty body
    const again = await create({ name: "empty-body stop", arms: [{ versionId: 2, weight: 50 }, { versionId: 3, weight: 50 }] });
    const id2 = String(again.json.id);
    const empty = await call(stopRoute, `/api/admin/experiments/${id2}/stop`, { method: "POST", params: { id: id2 }, body: "", headers: { "content-type": "application/json" } });
    expect(empty.status).toBe(200);
    expect(empty.json).toMatchObject({ promotedVersion: null, experiment: { status: "stopped" } });
    const broken = await call(stopRoute, `/api/admin/experiments/${id2}/stop`, { method: "POST", params: { id: id2 }, body: "{", headers: { "content-type": "application/json" } });
    expect(broken.status).toBe(400);
  });

  it("stop and promote of an arm whose version already serves says that nothing was switched", async () => {
    signedInAs(adminId);
    const serving = await getServingVersionId();
    const other = serving === 2 ? 3 : 2;
    const events = (await listModelEvents()).length;
    const started = await create({ name: "already serving", arms: [{ versionId: serving, weight: 50 }, { versionId: other, weight: 50 }] });
    expect(started.status).toBe(201);
    const id = String(started.json.id);
    const res = await stop(id, { promoteArm: "A" });
    expect(res.status).toBe(200);
    // was: winnerArm "A" alone, which the page told as "arm A was promoted"
    expect(res.json).toMatchObject({ promotedVersion: null, experiment: { status: "stopped", winnerArm: "A", promotion: "already_serving" } });
    expect(await listModelEvents()).toHaveLength(events);
    expect(await getServingVersionId()).toBe(serving);
    expect((await report(id)).json.experiment).toMatchObject({ winnerArm: "A", promotion: "already_serving" });
  });
});
