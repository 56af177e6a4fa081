import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as promote } from "@/app/api/admin/models/[id]/promote/route";
import { POST as rollback } from "@/app/api/admin/models/rollback/route";
import { registerAccount } from "@/lib/auth/accounts";
import { readSessionClaims } from "@/lib/auth/session";
import { listModelEvents } from "@/lib/mlops/actions";
import { getServingVersionId } from "@/lib/mlops/registry";
import { runTraining } from "@/lib/recs/train";
import { call, expectErrorShape } from "../helpers/call";
import { useTrainedDb } from "../helpers/trained-db";

vi.mock("@/lib/auth/session", () => ({ readSessionClaims: vi.fn(async () => null) }));
const signedInAs = (id: number | null) => vi.mocked(readSessionClaims).mockResolvedValue(id === null ? null : { id });

let tmp: Awaited<ReturnType<typeof useTrainedDb>>;
let adminId: number;
let userId: number;
beforeAll(async () => {
  tmp = await useTrainedDb({ users: 120, model: "popularity" }); // version 1
  await runTraining({ model: "popularity", topN: 10, neighbors: 10, force: true }); // version 2, serving
  adminId = (await registerAccount({ email: "admin@example.com", password: "password-1" })).id;
  userId = (await registerAccount({ email: "user@example.com", password: "password-2" })).id;
});
afterAll(() => tmp.cleanup());
beforeEach(() => signedInAs(null));

const promoteVersion = (id: string) => call(promote, `/api/admin/models/${id}/promote`, { method: "POST", params: { id } });
const rollBack = () => call(rollback, "/api/admin/models/rollback", { method: "POST" });

describe("admin model routes", () => {
  it.each([
    ["promote", () => promoteVersion("1")],
    ["rollback", rollBack],
  ])("%s: 401 when signed out, 403 for a non-admin, and nothing changes", async (_name, request) => {
    expect((await request()).status).toBe(401);
    signedInAs(userId);
    const res = await request();
    expect(res.status).toBe(403);
    expect(expectErrorShape(res.json).code).toBe("forbidden");
    expect(await getServingVersionId()).toBe(2);
  });

  it("an admin rolls back to the previous version and promotes again; both are recorded with who and when", async () => {
    signedInAs(adminId);
    const back = await rollBack();
    expect(back.status).toBe(200);
    expect(back.json).toMatchObject({ servingVersion: 1, previousVersion: 2, event: { action: "rollback", actorUserId: adminId, actorLabel: "admin@example.com" } });
    expect(await getServingVersionId()).toBe(1);

    const again = await promoteVersion("2");
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ servingVersion: 2, previousVersion: 1, event: { action: "promote", fromVersionId: 1 } });
    expect(await getServingVersionId()).toBe(2);

    const [latest] = await listModelEvents();
    expect(latest).toMatchObject({ action: "promote", actorEmail: "admin@example.com", at: expect.any(Number) });
    expect(Date.now() - latest.at).toBeLessThan(60_000);
  });

  it("409 when the version already serves or there is nothing to roll back to; 404/400 for bad ids", async () => {
    signedInAs(adminId);
    const serving = await promoteVersion("2");
    expect(serving.status).toBe(409);
    expect(expectErrorShape(serving.json).code).toBe("conflict");
    expect((await rollBack()).status).toBe(200); // → 1
    const none = await rollBack(); // 2 was rolled back away from: nothing earlier is left
    expect(none.status).toBe(409);
    expect(expectErrorShape(none.json).message).toMatch(/no earlier production version/);
    expect((await promoteVersion("99")).status).toBe(404);
    expect((await promoteVersion("x")).status).toBe(400);
    expect(await getServingVersionId()).toBe(1);
  });

  it("refuses a body or a query parameter it would otherwise ignore (a version to roll back to), and changes nothing", async () => {
    signedInAs(adminId);
    const serving = await getServingVersionId();
    const other = serving === 1 ? "2" : "1";
    const withVersion = await call(rollback, "/api/admin/models/rollback", { method: "POST", body: { versionId: 2 } });
    expect(withVersion.status).toBe(400);
    expect(expectErrorShape(withVersion.json).details).toEqual({ fields: { versionId: ["unknown field"] } });
    // nor in the query: this rolled back to the previous version, whatever versionId said
    const inQuery = await call(rollback, `/api/admin/models/rollback?versionId=${other}`, { method: "POST" });
    expect(inQuery.status).toBe(400);
    expect(expectErrorShape(inQuery.json).details).toEqual({ fields: { versionId: ["unknown field"] } });
    const promoteWithQuery = await call(promote, `/api/admin/models/${other}/promote?force=1`, { method: "POST", params: { id: other } });
    expect(promoteWithQuery.status).toBe(400);
    expect(expectErrorShape(promoteWithQuery.json).details).toEqual({ fields: { force: ["unknown field"] } });
    const notJson = await call(rollback, "/api/admin/models/rollback", { method: "POST", body: "version=2", headers: { "content-type": "text/plain" } });
    expect(notJson.status).toBe(415);
    const promoteWithBody = await call(promote, `/api/admin/models/${other}/promote`, { method: "POST", params: { id: other }, body: { force: true } });
    expect(promoteWithBody.status).toBe(400);
    expect(await getServingVersionId()).toBe(serving);

    // `{}` is no input, like no body at all
    const promoted = await call(promote, `/api/admin/models/${other}/promote`, { method: "POST", params: { id: other }, body: {} });
    expect(promoted.status).toBe(200);
    expect(await getServingVersionId()).toBe(Number(other));
  });

  it("a rollback may name the version its page showed (`to`): refused with 409 when the rollback would now serve another", async () => {
    signedInAs(adminId);
    expect(await getServingVersionId()).toBe(2); // the rollback target is v1
    const stale = await call(rollback, "/api/admin/models/rollback", { method: "POST", body: { to: 2 } });
    expect(stale.status).toBe(409);
    expect(expectErrorShape(stale.json).message).toBe(
      "A rollback would now serve version 1, not version 2 (version 2 serves now); nothing was switched.",
    );
    const notInt = await call(rollback, "/api/admin/models/rollback", { method: "POST", body: { to: "1" } });
    expect(notInt.status).toBe(400);
    expect(Object.keys((expectErrorShape(notInt.json).details as { fields: object }).fields)).toEqual(["to"]);
    expect(await getServingVersionId()).toBe(2);
    const ok = await call(rollback, "/api/admin/models/rollback", { method: "POST", body: { to: 1 } });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ servingVersion: 1, previousVersion: 2 });
  });
});
