import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ExperimentReportTable } from "@/components/admin/experiment-report";
import { describeStop, formatPValue } from "@/lib/experiments/format";
import { judge, type ArmReport, type ExperimentReport } from "@/lib/experiments/service";
import { twoProportionZTest, wilsonInterval } from "@/lib/experiments/stats";

// How p-values read in the verdict and the report: "p < 0.0001" or "p = 0.0074", never the
// "p = < 0.0001 < 0.050" the verdict used to print.

/** An arm with `watches` of `pairs` watched (and as many clicks), tested against `control` when given. */
function arm(key: string, pairs: number, watches: number, control?: { pairs: number; watches: number }): ArmReport {
  const rate = (x: number, n: number) => ({ rate: x / n, interval: wilsonInterval(x, n)! });
  const test = control ? twoProportionZTest({ successes: control.watches, trials: control.pairs }, { successes: watches, trials: pairs }) : null;
  return {
    key,
    versionId: key.charCodeAt(0) - 64,
    weight: 50,
    control: !control,
    impressions: pairs,
    pairs,
    users: pairs / 10,
    clicks: watches,
    watches,
    ratings: 0,
    meanRating: null,
    ctr: rate(watches, pairs),
    watchRate: rate(watches, pairs),
    vsControl: control ? { ctr: test, watchRate: test } : null,
  };
}

describe("formatPValue", () => {
  it("writes small p-values as a bound and others to four decimals", () => {
    expect(formatPValue(3e-17)).toBe("p < 0.0001");
    expect(formatPValue(0.0000999)).toBe("p < 0.0001");
    expect(formatPValue(0.0001)).toBe("p = 0.0001");
    expect(formatPValue(0.00742)).toBe("p = 0.0074");
    expect(formatPValue(0.5)).toBe("p = 0.5000");
  });
});

describe("the verdict", () => {
  const control = { pairs: 4000, watches: 800 };
  it("names a significant winner with its p-value and the level it is below", () => {
    const arms = [arm("A", control.pairs, control.watches), arm("B", 4000, 1100, control)];
    expect(arms[1].vsControl!.watchRate!.pValue).toBeLessThan(0.0001);
    const { winner, verdict } = judge(arms, "watch_rate", 0.05, true);
    expect(winner).toBe("B");
    expect(verdict).toBe("Arm B has a higher watch rate than the control (p < 0.0001, below α = 0.050).");
  });

  it("writes a larger p-value with an equals sign", () => {
    // 200/1000 vs 250/1000: p = 0.0074 (the worked example of stats.test.ts)
    const arms = [arm("A", 1000, 200), arm("B", 1000, 250, { pairs: 1000, watches: 200 })];
    expect(judge(arms, "watch_rate", 0.05, true).verdict).toBe("Arm B has a higher watch rate than the control (p = 0.0074, below α = 0.050).");
  });

  it("says each p is below the level when the control wins", () => {
    const arms = [arm("A", control.pairs, control.watches), arm("B", 4000, 500, control)];
    expect(judge(arms, "watch_rate", 0.05, false).verdict).toBe("The control has a higher watch rate than every other arm (each p below α = 0.050).");
  });
});

describe("how a stop is told", () => {
  const arms = [
    { key: "A", versionId: 1, weight: 50 },
    { key: "B", versionId: 2, weight: 50 },
  ];
  const stopped = { stoppedByLabel: "admin@example.com", arms };
  it("says an arm was promoted only when serving was switched to it", () => {
    expect(describeStop({ ...stopped, winnerArm: "B", promotion: "switched" })).toBe("Stopped by admin@example.com; arm B (v2) was promoted.");
    // was: "arm A was promoted", though v1 served already and nothing was switched or audited
    expect(describeStop({ ...stopped, winnerArm: "A", promotion: "already_serving" })).toBe("Stopped by admin@example.com; arm A (v1) already served, so nothing was switched.");
    expect(describeStop({ ...stopped, winnerArm: null, promotion: null })).toBe("Stopped by admin@example.com without promoting.");
  });

  it("only names the chosen arm for a stop from before the outcome was recorded", () => {
    expect(describeStop({ ...stopped, winnerArm: "A", promotion: null })).toBe("Stopped by admin@example.com, choosing arm A (v1) to serve.");
  });
});

describe("the report table", () => {
  const control = { pairs: 1000, watches: 200 };
  const report = {
    experiment: { id: 7, name: "x", status: "running", primaryMetric: "watch_rate", arms: [], createdBy: null, createdByLabel: "admin", startedAt: 0, stoppedAt: null, stoppedByLabel: null, winnerArm: null, promotion: null, finalCounts: null },
    arms: [arm("A", 1000, 200), arm("B", 1000, 250, control), arm("C", 4000, 1100, { pairs: 4000, watches: 800 })],
    alpha: 0.025,
    suggestedWinner: null,
    verdict: "",
  } satisfies ExperimentReport;

  it("shows each test's p-value the same way", () => {
    const text = renderToStaticMarkup(createElement(ExperimentReportTable, { report })).replace(/<[^>]+>/g, " ").replace(/&lt;/g, "<").replace(/\s+/g, " ");
    expect(text).toContain("p = 0.0074, z = 2.68");
    expect(text).toMatch(/p < 0\.0001, z = \d/);
    expect(text).not.toMatch(/p = </);
  });

  it("scrolls sideways in a named region the keyboard can reach (axe scrollable-region-focusable)", () => {
    const html = renderToStaticMarkup(createElement(ExperimentReportTable, { report }));
    const wrapper = html.slice(0, html.indexOf("<table"));
    expect(wrapper).toContain("overflow-x-auto");
    expect(wrapper).toContain('role="region"');
    expect(wrapper).toContain('tabindex="0"');
    expect(wrapper).toContain('aria-label="Experiment #7 results by arm"');
  });
});
