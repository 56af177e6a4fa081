import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as ready } from "@/app/api/health/ready/route";
import { GET as health } from "@/app/api/health/route";
import { GET as poster } from "@/app/api/posters/[id]/route";
import { seedCatalog } from "@/lib/catalog/seed";
import { closeDb } from "@/lib/db";
import { resetEnvForTests } from "@/lib/env";
import { useTempDb } from "../helpers/temp-db";

const ctx = (params: Record<string, string>) => ({ params: Promise.resolve(params) });

describe("GET /api/health", () => {
  let tmp: ReturnType<typeof useTempDb>;
  beforeAll(async () => {
    tmp = useTempDb();
    await seedCatalog();
  });
  afterAll(() => tmp.cleanup());

  it("reports the catalog size and version", async () => {
    const res = await health(new Request("http://x/api/health"));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", db: "ok", catalogSize: 4803, version: expect.any(String) });
  });

  it("is not ready (503) before any model serves", async () => {
    const res = await ready(new Request("http://x/api/health/ready"));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ready: false, servingModelVersion: null });
  });

  it("answers 503 when the database cannot be opened", async () => {
    const saved = { path: process.env.DATABASE_PATH, url: process.env.DATABASE_URL };
    // SQLite: a path below a regular file can never be opened. PostgreSQL: nothing listens on port 1.
    if (tmp.url) process.env.DATABASE_URL = "postgres://postgres@127.0.0.1:1/matinee";
    else process.env.DATABASE_PATH = `${tmp.file}/not-a-dir/matinee.db`;
    resetEnvForTests();
    await closeDb();
    const err = console.error;
    console.error = () => {};
    try {
      const res = await health(new Request("http://x/api/health"));
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: "error", db: "unreachable", catalogSize: null });
    } finally {
      console.error = err;
      process.env.DATABASE_PATH = saved.path;
      if (saved.url !== undefined) process.env.DATABASE_URL = saved.url;
      resetEnvForTests();
      await closeDb();
    }
  });
});

describe("GET /api/posters/[id]", () => {
  let tmp: ReturnType<typeof useTempDb>;
  beforeAll(async () => {
    tmp = useTempDb();
    await seedCatalog();
  });
  afterAll(() => tmp.cleanup());

  it("returns an SVG for a known movie", async () => {
    const res = await poster(new Request("http://x/api/posters/11"), ctx({ id: "11" }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("image/svg+xml");
    expect(await res.text()).toContain("Star Wars");
  });

  it("refuses a query parameter (it takes none) with 400 and the error shape", async () => {
    const res = await poster(new Request("http://x/api/posters/11?w=342"), ctx({ id: "11" }));
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: "bad_request", details: { fields: { w: ["unknown field"] } } });
  });

  it.each([
    ["abc", 400],
    ["-1", 400],
    ["1e3", 400],
    ["../../etc/passwd", 400],
    ["99999999999", 400],
    ["999999", 404],
  ])("answers id %s with %i and the error shape", async (id, status) => {
    const res = await poster(new Request(`http://x/api/posters/${id}`), ctx({ id }));
    expect(res.status).toBe(status);
    const body = await res.json();
    expect(body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  });
});
