import { describe, expect, it } from "vitest";
import { niceTicks, renderSimulationPlot } from "@/lib/simulate/plot";

describe("renderSimulationPlot", () => {
  const points = Array.from({ length: 10_000 }, (_, i) => ({ rating: 0.5 + (i % 10) * 0.5, watchSeconds: 600 + (i % 10) * 500 }));
  const itemCounts = Array.from({ length: 500 }, (_, i) => Math.round(1000 / (i + 1)));
  const svg = renderSimulationPlot({ points, itemCounts, title: "Simulated <test> & co" });

  it("draws both panels with titles, axis labels and the long-tail annotation", () => {
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain("Simulated &lt;test&gt; &amp; co");
    expect(svg).toContain("Rating vs watch time (10,000 rated watches)");
    expect(svg).toContain("watch time (minutes)");
    expect(svg).toContain("Popularity long tail (500 movies watched)");
    expect(svg).toMatch(/top 10% of movies \(50\)/);
    expect(svg).toMatch(/get \d+% of all watches/);
  });

  it("thins the scatter to a few thousand points so the file stays small", () => {
    const dots = svg.match(/<circle /g)?.length ?? 0;
    expect(dots).toBeGreaterThan(3000);
    expect(dots).toBeLessThanOrEqual(4000 + 10);
    expect(svg.length).toBeLessThan(400_000);
  });

  it("copes with no data", () => {
    const empty = renderSimulationPlot({ points: [], itemCounts: [] });
    expect(empty).toContain("</svg>");
    expect(empty).not.toContain("NaN");
  });
});

describe("niceTicks", () => {
  it("covers the range with round steps", () => {
    expect(niceTicks(10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(187)).toEqual([0, 50, 100, 150, 200]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });
});
