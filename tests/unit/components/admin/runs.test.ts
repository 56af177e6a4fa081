import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { tickedRuns } from "@/components/admin/compare-runs-form";
import { TOO_FEW_RUNS } from "@/components/admin/format";
import { metricLabel } from "@/components/admin/format";
import { RunComparison } from "@/components/admin/run-comparison";
import { legendRank } from "@/components/admin/run-metrics-chart";
import { RunsTable } from "@/components/admin/runs-table";
import type { ModelVersion } from "@/lib/db/schema";
import { buildComparison, toRun } from "@/lib/mlops/runs";

// /admin/runs names who started each run the way the Jobs page does: the admin, the retrain
// schedule, drift auto-retrain or the CLI (it said "the CLI or a scheduler" for all but admins).

function run(id: number, stats: Record<string, unknown> | null) {
  const version: ModelVersion = {
    id,
    algorithm: "ease",
    params: {},
    metrics: { "ndcg@10": 0.1 },
    snapshot: { checksum: "abc" },
    status: "ready",
    stage: "candidate",
    jobId: stats ? id * 10 : null,
    codeVersion: "abc1234",
    durationMs: 1000,
    createdAt: Date.UTC(2026, 0, id),
    finishedAt: Date.UTC(2026, 0, id),
  };
  return toRun(version, stats ? { error: null, message: null, stats } : null, null);
}

const runs = [run(1, { trigger: "schedule" }), run(2, { trigger: "drift" }), run(3, { requestedBy: "admin@example.com", requestedById: 1 }), run(4, {})];
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("who started a run on /admin/runs", () => {
  it("the table says it for every run", () => {
    const html = text(renderToStaticMarkup(createElement(RunsTable, { runs, selected: [], servingVersion: null })));
    for (const who of ["the retrain schedule", "drift auto-retrain", "admin@example.com", "the CLI"]) expect(html).toContain(`by ${who}`);
  });

  it("the comparison says it too", () => {
    const html = text(renderToStaticMarkup(createElement(RunComparison, { comparison: buildComparison(runs) })));
    for (const who of ["the retrain schedule", "drift auto-retrain", "admin@example.com", "the CLI"]) expect(html).toContain(`by ${who}`);
    expect(html).not.toMatch(/scheduler/);
  });
});

describe("comparing runs", () => {
  it("Compare selected needs two ticked runs, said in the form's words", () => {
    // was: none ticked reloaded silently, one showed "The runs to compare must name at least 2 runs."
    const form = (...ids: string[]) => ({ getAll: (name: string) => (name === "compare" ? ids : []) });
    expect(tickedRuns(form())).toBe(0);
    expect(tickedRuns(form("3"))).toBe(1);
    expect(tickedRuns(form("3", "5"))).toBe(2);
    expect(TOO_FEW_RUNS).toBe("Tick at least two runs to compare.");
  });

  it("the chart's legend follows the table: baseline first", () => {
    // was: Recharts sorted the legend by label, so "v12 ease" came before the baseline "v9 ease"
    const chartRuns = [{ key: "run9" }, { key: "run12" }, { key: "run10" }];
    const items = [{ dataKey: "run12", value: "v12 ease" }, { dataKey: "run10", value: "v10 ease" }, { dataKey: "run9", value: "v9 ease" }];
    const rank = legendRank(chartRuns);
    expect(items.toSorted((a, b) => (rank(a as never) as number) - (rank(b as never) as number)).map((i) => i.value)).toEqual(["v9 ease", "v12 ease", "v10 ease"]);
  });

  it("names metrics as the rest of the admin does (nDCG@10)", () => {
    const html = text(renderToStaticMarkup(createElement(RunComparison, { comparison: buildComparison(runs) })));
    expect(html).toContain("nDCG@10");
    expect(html).not.toContain("ndcg@10 ");
    expect(metricLabel("ndcg@10")).toBe("nDCG@10");
    expect(metricLabel("precision@10", "short")).toBe("P@10");
    expect(metricLabel("something-new")).toBe("something-new");
  });
});
