import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DriftPanel } from "@/components/admin/drift-panel";
import type { DriftOverview } from "@/lib/mlops/drift";

// The admin overview's drift panel rendered to HTML from a given overview.

function overview(current: Partial<DriftOverview["current"]>): DriftOverview {
  return {
    current: {
      modelVersion: 3,
      trainedUpTo: Date.UTC(2025, 0, 1),
      recentInteractions: 0,
      baselineInteractions: 26660,
      psi: null,
      score: null,
      threshold: 0.2,
      drifted: false,
      checkedAt: Date.UTC(2025, 0, 2),
      ...current,
    },
    axes: [],
    lastCheck: null,
    autoRetrain: false,
    scheduled: false,
  };
}

/** The text of the <p> with this data-testid. */
function textOf(html: string, testId: string): string {
  const m = html.match(new RegExp(`data-testid="${testId}"[^>]*>([\\s\\S]*?)</p>`));
  expect(m, testId).not.toBeNull();
  return m![1]
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

describe("DriftPanel", () => {
  it("counts new interactions in the right number, thousands separated", () => {
    const one = renderToStaticMarkup(createElement(DriftPanel, { overview: overview({ recentInteractions: 1 }) }));
    expect(textOf(one, "drift-window")).toMatch(/^1 interaction since v3 was trained .* compared with the 26,660 it was trained on\.$/);
    const many = renderToStaticMarkup(createElement(DriftPanel, { overview: overview({ recentInteractions: 1200 }) }));
    expect(textOf(many, "drift-window")).toMatch(/^1,200 interactions since v3 was trained/);
    const same = renderToStaticMarkup(createElement(DriftPanel, { overview: overview({ recentInteractions: 60, trainedInteractions: 26660 }) }));
    expect(textOf(same, "drift-window")).toMatch(/compared with the 26,660 it was trained on\.$/);
  });

  it("says when most of the training data has since been changed, instead of calling what is left the training data", () => {
    // e.g. a re-simulation after training: the rows it rewrote are new to the model
    const html = renderToStaticMarkup(createElement(DriftPanel, { overview: overview({ recentInteractions: 79885, baselineInteractions: 210, trainedInteractions: 26731 }) }));
    expect(textOf(html, "drift-window")).toMatch(
      /^79,885 interactions since v3 was trained .* compared with the 210 of the 26,731 it was trained on that are still as it read them \(the others\s+were deleted since, or changed in what training reads, such as their time, and count as new\)\.$/,
    );
  });

  it("ends the 'not enough data' note with a full stop before the next sentence", () => {
    // computeDrift's note is a clause (lower case, no full stop); it was run into the next sentence
    const note = "not enough new interactions since training (12 < 50)";
    const html = renderToStaticMarkup(createElement(DriftPanel, { overview: overview({ recentInteractions: 12, note }) }));
    expect(textOf(html, "drift-note")).toBe(
      "Not enough new interactions since training (12 < 50). Drift is measured once there are enough new interactions to say anything.",
    );
  });
});
