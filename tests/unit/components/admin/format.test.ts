import { describe, expect, it } from "vitest";
import { formatMetricTick } from "@/components/admin/format";

describe("formatMetricTick", () => {
  it("labels a tick with the value it marks", () => {
    // the ticks recharts chose for nDCG@10 values around 0.12 (two fixed decimals read 0.04, 0.07, 0.10, 0.14)
    expect([0, 0.035, 0.07, 0.105, 0.14].map(formatMetricTick)).toEqual(["0", "0.035", "0.07", "0.105", "0.14"]);
    expect([0.1 + 0.2, 0.25, 1].map(formatMetricTick)).toEqual(["0.3", "0.25", "1"]);
  });
});
