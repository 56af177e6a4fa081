import { describe, expect, it } from "vitest";
import { hasValidEscapes } from "@/lib/http/path-escape";

describe("hasValidEscapes", () => {
  it.each([
    ["/api/movies/603", true],
    ["/api/movies/%36%30%33", true],
    ["/search/caf%C3%A9", true],
    ["/api/movies/%ZZ", false],
    ["/api/movies/%", false],
    ["/api/movies/%4", false],
    ["/api/recommend/%E0%A4%A", false], // a cut-off UTF-8 sequence
    ["/movies/%C3%28", false], // not UTF-8
  ])("%s → %s", (path, ok) => {
    expect(hasValidEscapes(path)).toBe(ok);
  });
});
