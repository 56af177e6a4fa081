import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { DriftSection } from "@/components/admin/drift-section";
import { getDriftOverview } from "@/lib/mlops/drift";

// The overview streams the drift panel in on its own: a failed drift computation says so in the
// panel's place, and the rest of the page stays.

vi.mock("@/lib/mlops/drift", () => ({ getDriftOverview: vi.fn() }));

describe("DriftSection", () => {
  it("shows the panel, or a notice in its place when drift cannot be computed (was: the whole overview's error page)", async () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    vi.mocked(getDriftOverview).mockRejectedValueOnce(Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }));
    const failed = renderToStaticMarkup(await DriftSection());
    expect(failed).toContain('data-testid="drift-error"');
    expect(failed).toContain("Drift could not be computed just now");
    expect(failed).not.toMatch(/SQLITE|locked/);
    expect(String(spy.mock.calls[0]?.[0])).toMatch(/^admin overview: drift could not be computed: Error: database is locked \(code SQLITE_BUSY\)/);
    spy.mockRestore();

    vi.mocked(getDriftOverview).mockResolvedValueOnce({
      current: { modelVersion: null, trainedUpTo: 0, recentInteractions: 0, baselineInteractions: 0, psi: null, score: null, threshold: 0.2, drifted: false, checkedAt: 0, note: "no serving model" },
      axes: [],
      lastCheck: null,
      autoRetrain: false,
      scheduled: false,
    });
    const shown = renderToStaticMarkup(await DriftSection());
    expect(shown).toContain('data-testid="drift-panel"');
    expect(shown).not.toContain("drift-error");
  });
});
