import { describe, expect, it } from "vitest";
import { modelsTableText } from "@/lib/mlops/models-text";

// `npm run models -- list`: one line per version, as the admin's Models page reads them.

const version = (id: number, status: "ready" | "failed" | "training", stage: "candidate" | "production" | "archived", extra: object = {}) =>
  ({
    id,
    algorithm: "ease",
    params: {},
    status,
    stage,
    metrics: status === "ready" ? { "ndcg@10": 0.31234, "precision@10": 0.2 } : {},
    snapshot: status === "ready" ? { users: 1000, items: 4803, interactions: 26660 } : {},
    createdAt: 0,
    durationMs: null,
    serving: false,
    cached: status === "ready",
    ...extra,
  }) as never;

describe("modelsTableText", () => {
  it("shows a stage for ready versions only: a failed or training one can never serve (QA: failed read 'candidate')", () => {
    const text = modelsTableText([version(3, "training", "candidate"), version(2, "failed", "candidate"), version(1, "ready", "production")], 1);
    const line = (id: number) => text.split("\n").find((l) => l.slice(2).startsWith(`${id} `))!;
    expect(line(3)).toMatch(/^ {2}3 +ease +training +— +— +— +—$/);
    expect(line(2)).toMatch(/^ {2}2 +ease +failed +— +/);
    expect(line(1)).toMatch(/^\* 1 +ease +ready +production +0\.3123 +0\.2000 +1,000 users × 4,803 movies, 26,660 interactions$/);
    expect(text).toMatch(/\* serving: version 1$/);
  });

  it("says when nothing serves", () => {
    expect(modelsTableText([version(1, "failed", "candidate")], null)).toMatch(/nothing serves yet$/);
  });
});
