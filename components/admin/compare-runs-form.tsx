"use client";

import Form from "next/form";
import { useState, type ReactNode } from "react";
import { TOO_FEW_RUNS } from "./format";


/** How many runs a compare submission names (its repeated `compare` field). */
export function tickedRuns(form: { getAll(name: string): unknown[] }): number {
  return form.getAll("compare").length;
}

/**
 * The runs table's Compare form: a plain GET form (?compare=3&compare=5), so it works before the
 * page's JavaScript has loaded; with it, fewer than two ticked runs are answered here instead of
 * by a reload that showed nothing (none ticked) or the validator's wording (one).
 */
export function CompareRunsForm({ children }: { children: ReactNode }) {
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <Form
      action="/admin/runs"
      className="space-y-3"
      onSubmit={(event) => {
        if (tickedRuns(new FormData(event.currentTarget)) >= 2) return;
        event.preventDefault();
        setProblem(TOO_FEW_RUNS);
      }}
      onChange={() => setProblem(null)}
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-zinc-400">Tick two or more runs, then compare them side by side. The oldest ticked run is the baseline.</p>
        <button type="submit" aria-describedby={problem ? "compare-too-few" : undefined} className="rounded-md bg-accent px-4 py-2 text-sm font-semibold text-black hover:brightness-110">
          Compare selected
        </button>
      </div>
      {problem && (
        <p id="compare-too-few" role="alert" className="text-right text-sm text-amber-300" data-testid="compare-too-few">
          {problem}
        </p>
      )}
      {children}
    </Form>
  );
}
