import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { tabScrollLeft } from "@/components/admin/admin-nav";
import { ModelsTable } from "@/components/admin/models-table";
import { ServingModelCard } from "@/components/admin/serving-model-card";
import type { AdminModelVersion } from "@/lib/mlops/actions";
import type { ModelVersion } from "@/lib/db/schema";

// The admin on a 390 px phone, and the metric names on the overview.

describe("the admin tab strip", () => {
  it("scrolls the current tab into view, centred where it can", () => {
    // a 358 px strip of 560 px of tabs; API keys (the last) sits at 470–560: was left off-screen
    const nav = { clientWidth: 358, scrollWidth: 560 };
    expect(tabScrollLeft(nav, { offsetLeft: 470, offsetWidth: 90 })).toBe(202);
    expect(tabScrollLeft(nav, { offsetLeft: 0, offsetWidth: 90 })).toBe(0);
    expect(tabScrollLeft(nav, { offsetLeft: 250, offsetWidth: 100 })).toBe(121);
  });
});

const version = (id: number, serving: boolean): AdminModelVersion =>
  ({
    id,
    algorithm: "ease",
    params: {},
    metrics: { "ndcg@10": 0.12345 },
    snapshot: {},
    status: "ready",
    stage: serving ? "production" : "candidate",
    jobId: null,
    codeVersion: null,
    durationMs: 1000,
    createdAt: 0,
    finishedAt: 0,
    serving,
    cached: true,
  }) as unknown as AdminModelVersion;

describe("the models table", () => {
  it("puts the actions column (Promote) next to the version, not last (off-screen on a phone)", () => {
    // (a version that can be promoted renders PromoteButton, which needs the app router: the header says the order)
    const html = renderToStaticMarkup(createElement(ModelsTable, { versions: [version(1, true)] }));
    const headers = [...html.slice(0, html.indexOf("</thead>")).matchAll(/<th[^>]*>(.*?)<\/th>/g)].map((m) => m[1].replace(/<[^>]+>/g, ""));
    expect(headers.slice(0, 3)).toEqual(["Version", "Actions", "Algorithm / params"]);
    const row = html.slice(html.indexOf('data-version-id="1"'));
    expect(row.split(/<t[hd][ >]/).length - 1).toBe(headers.length);
  });

  it("says why a failed version failed (was: a red badge and dashes; the runs page had the reason)", () => {
    const failed = { ...version(2, false), status: "failed", metrics: {} } as unknown as AdminModelVersion;
    const html = renderToStaticMarkup(createElement(ModelsTable, { versions: [failed], failures: new Map([[2, "cancelled by admin@example.com"]]) }));
    expect(html).toMatch(/data-testid="model-failure"[^>]*>cancelled by admin@example.com</);
    expect(renderToStaticMarkup(createElement(ModelsTable, { versions: [failed] }))).not.toContain("model-failure");
  });
});

describe("the serving model card", () => {
  it("spells the metrics as the tables do", () => {
    // was: ndcg@10 on the card, nDCG@10 in the tables and charts
    const v = { ...version(1, true), metrics: { "ndcg@10": 0.1, "precision@10": 0.2, "recall@10": 0.3, map: 0.05, coverage: 0.4 } } as unknown as ModelVersion;
    const html = renderToStaticMarkup(createElement(ServingModelCard, { version: v }));
    expect(html).toContain(">nDCG@10</dt>");
    expect(html).toContain(">MAP</dt>");
    expect(html).not.toContain(">ndcg@10<");
  });
});
