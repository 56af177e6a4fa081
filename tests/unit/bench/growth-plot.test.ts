import { describe, expect, it } from "vitest";
import { renderGrowthPlot } from "@/lib/bench/growth-plot";

describe("renderGrowthPlot", () => {
  it("draws one point per size on both panels, the targets and the reference, as standalone SVG", () => {
    const svg = renderGrowthPlot({
      title: "train <item-knn>",
      points: [
        { interactions: 1e6, totalSeconds: 20, neighborSeconds: 5, peakRssGB: 0.3 },
        { interactions: 2e7, totalSeconds: 290, neighborSeconds: 57, peakRssGB: 1.7 },
      ],
      targetSeconds: 600,
      targetGB: 6,
      reference: { interactions: 2e7, seconds: 98, label: "scipy 98 s" },
    });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
    expect(svg).toContain("train &lt;item-knn&gt;");
    expect(svg.match(/<circle /g)).toHaveLength(6); // total + neighbours + memory, 2 sizes each
    expect(svg).toContain("target 600 s");
    expect(svg).toContain("target 6 GB");
    expect(svg).toContain("scipy 98 s");
    expect(svg).not.toMatch(/NaN|undefined/);
  });
});
