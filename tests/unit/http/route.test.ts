import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ApiError } from "@/lib/http/errors";
import { parseQuery, route } from "@/lib/http/route";

describe("route wrapper", () => {
  it("maps ApiError to its status and the standard body", async () => {
    const handler = route(() => {
      throw new ApiError("not_found", "No movie with id 9");
    });
    const res = await handler(new Request("http://x/api/thing"));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "not_found", message: "No movie with id 9" } });
  });

  it("hides unknown errors behind a generic 500", async () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await route(() => {
      throw new Error("SQLITE_ERROR: no such table: secret_stuff");
    })(new Request("http://x/api/thing"));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("SQLITE");
    expect(JSON.parse(text).error.code).toBe("internal");
    spy.mockRestore();
  });

  it("rejects repeated and invalid query parameters with field details", () => {
    const schema = z.object({ k: z.coerce.number().int().min(1).max(100) });
    expect(() => parseQuery(new Request("http://x/?k=1&k=2"), schema)).toThrow(/more than once/);
    try {
      parseQuery(new Request("http://x/?k=abc"), schema);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).status).toBe(400);
      expect((err as ApiError).details).toMatchObject({ fields: { k: expect.any(Array) } });
    }
    expect(parseQuery(new Request("http://x/?k=7"), schema)).toEqual({ k: 7 });
  });
});
