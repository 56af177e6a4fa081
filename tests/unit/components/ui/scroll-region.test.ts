import fs from "node:fs";
import { createElement, type ComponentProps } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ScrollRegion } from "@/components/ui/scroll-region";

// The scroller of every wide admin table (jobs, run comparison, experiment report).

describe("ScrollRegion", () => {
  it("is a named tab stop that scrolls sideways", () => {
    const html = renderToStaticMarkup(createElement(ScrollRegion, { label: "Runs side by side", className: "rounded-lg" } as ComponentProps<typeof ScrollRegion>, createElement("table")));
    expect(html).toMatch(/^<div role="region" aria-label="Runs side by side" tabindex="0" class="relative overflow-x-auto rounded-lg"><table><\/table><\/div>$/);
  });

  it("shows where focus is with the site's focus outline, which every focusable element gets", () => {
    const css = fs.readFileSync("app/globals.css", "utf8");
    expect(css).toMatch(/:focus-visible\s*\{\s*outline:\s*2px solid var\(--color-accent\);/);
  });
});
