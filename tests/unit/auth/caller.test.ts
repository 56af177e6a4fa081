import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createApiKey, revokeApiKey } from "@/lib/apikeys";
import { getCaller, requireAdmin, requireCaller, requireUser } from "@/lib/auth";
import { registerAccount } from "@/lib/auth/accounts";
import { readSessionClaims } from "@/lib/auth/session";
import { useTempDb } from "../../helpers/temp-db";

// The session cookie is read through next/headers, which only exists inside Next: stand in for it.
vi.mock("@/lib/auth/session", () => ({ readSessionClaims: vi.fn(async () => null) }));
const signedInAs = (id: number | null) => vi.mocked(readSessionClaims).mockResolvedValue(id === null ? null : { id });

let tmp: ReturnType<typeof useTempDb>;
let admin: { id: number };
let user: { id: number };
let key: string;
beforeAll(async () => {
  tmp = useTempDb();
  admin = await registerAccount({ email: "admin@example.com", password: "password-1" });
  user = await registerAccount({ email: "user@example.com", password: "password-2" });
  key = (await createApiKey("client", admin.id)).key;
});
afterAll(() => tmp.cleanup());
beforeEach(() => signedInAs(null));

const req = (headers: Record<string, string> = {}) => new Request("http://127.0.0.1/api/x", { headers });

describe("getCaller", () => {
  it("is null for an anonymous request", async () => {
    expect(await getCaller(req())).toBeNull();
  });

  it("is the session's account", async () => {
    signedInAs(user.id);
    expect(await getCaller(req())).toMatchObject({ kind: "user", user: { id: user.id, email: "user@example.com", role: "user" } });
  });

  it("is the API key for Authorization: Bearer", async () => {
    expect(await getCaller(req({ authorization: `Bearer ${key}` }))).toMatchObject({ kind: "apiKey", key: { name: "client" } });
  });

  it("judges a request with a bad Bearer header by that header alone", async () => {
    signedInAs(user.id);
    expect(await getCaller(req({ authorization: "Bearer mk_nope" }))).toBeNull();
    expect(await getCaller(req({ authorization: "Bearer" }))).toBeNull();
    await expect(requireCaller(req({ authorization: "Bearer mk_nope" }))).rejects.toMatchObject({
      code: "unauthorized",
      message: expect.stringMatching(/invalid or has been revoked/),
    });
  });

  it("leaves another scheme to whoever sent it: Basic credentials from a staging site's login are not a key", async () => {
    // the browser attaches them to every same-origin fetch there (was: every signed-in save 401)
    signedInAs(user.id);
    expect(await getCaller(req({ authorization: "Basic c3RhZ2luZzpzZWNyZXQ=" }))).toMatchObject({ kind: "user", user: { id: user.id } });
    signedInAs(null);
    await expect(requireCaller(req({ authorization: "Basic c3RhZ2luZzpzZWNyZXQ=" }))).rejects.toMatchObject({
      code: "unauthorized",
      message: expect.stringMatching(/^Sign in or send an API key/),
    });
  });

  it("refuses a revoked key", async () => {
    const revoked = await createApiKey("revoked", admin.id);
    await revokeApiKey(revoked.apiKey.id);
    expect(await getCaller(req({ authorization: `Bearer ${revoked.key}` }))).toBeNull();
  });

  it("treats a session for a deleted or unknown user as signed out", async () => {
    signedInAs(424242);
    expect(await getCaller(req())).toBeNull();
  });
});

describe("requireUser / requireAdmin", () => {
  it("401 when signed out, 403 for a non-admin, the account for an admin", async () => {
    await expect(requireUser()).rejects.toMatchObject({ code: "unauthorized", status: 401 });
    await expect(requireAdmin()).rejects.toMatchObject({ code: "unauthorized", status: 401 });
    signedInAs(user.id);
    await expect(requireUser()).resolves.toMatchObject({ id: user.id });
    await expect(requireAdmin()).rejects.toMatchObject({ code: "forbidden", status: 403 });
    signedInAs(admin.id);
    await expect(requireAdmin()).resolves.toMatchObject({ id: admin.id, role: "admin" });
  });
});
