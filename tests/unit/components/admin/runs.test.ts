import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RunComparison } from "@/components/admin/run-comparison";
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
