import { ScrollRegion } from "@/components/ui/scroll-region";
import { formatPValue } from "@/lib/experiments/format";
import type { ExperimentReport } from "@/lib/experiments/service";
import { formatNumber } from "./format";

type Rate = ExperimentReport["arms"][number]["ctr"];
type Test = NonNullable<ExperimentReport["arms"][number]["vsControl"]>["ctr"];

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function RateCell({ rate }: { rate: Rate }) {
  if (!rate) return <span className="text-zinc-400">—</span>;
  return (
    <>
      <span className="font-semibold">{pct(rate.rate)}</span>
      <span className="block text-xs text-zinc-400">
        95% CI {pct(rate.interval.low)}–{pct(rate.interval.high)}
      </span>
    </>
  );
}

function TestCell({ test, alpha }: { test: Test | undefined; alpha: number }) {
  if (test === undefined) return <span className="text-xs text-zinc-400">control</span>;
  if (test === null) return <span className="text-zinc-400">—</span>;
  const significant = test.pValue < alpha;
  return (
    <>
      <span className={significant ? (test.difference > 0 ? "font-semibold text-emerald-300" : "font-semibold text-red-300") : ""}>
        {test.difference >= 0 ? "+" : ""}
        {(100 * test.difference).toFixed(1)} pts
      </span>
      <span className="block text-xs text-zinc-400">
        {formatPValue(test.pValue)}, z = {test.z.toFixed(2)}
      </span>
    </>
  );
}

/** Per-arm outcomes: impressions, clicks, CTR and watch rate with 95% Wilson intervals, z-tests against the control. */
export function ExperimentReportTable({ report }: { report: ExperimentReport }) {
  return (
    // On a phone the table scrolls sideways: a named, focusable region, so a keyboard can scroll it too.
    <ScrollRegion label={`Experiment #${report.experiment.id} results by arm`} className="rounded-lg ring-1 ring-white/5">
      <table className="w-full text-left text-sm" data-testid="experiment-report">
        <thead className="bg-ink-900 text-xs uppercase tracking-wide text-zinc-400">
          <tr>
            <th scope="col" className="px-3 py-2">Arm</th>
            <th scope="col" className="px-3 py-2 text-right">Users</th>
            <th scope="col" className="px-3 py-2 text-right">Impressions</th>
            <th scope="col" className="px-3 py-2 text-right">Shown pairs</th>
            <th scope="col" className="px-3 py-2 text-right">Clicks</th>
            <th scope="col" className="px-3 py-2">CTR</th>
            <th scope="col" className="px-3 py-2">vs control</th>
            <th scope="col" className="px-3 py-2 text-right">Watches</th>
            <th scope="col" className="px-3 py-2">Watch rate</th>
            <th scope="col" className="px-3 py-2">vs control</th>
            <th scope="col" className="px-3 py-2 text-right">Ratings (mean)</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-white/5">
          {report.arms.map((arm) => (
            <tr key={arm.key} data-testid="experiment-arm" data-arm={arm.key} className={`align-top ${report.suggestedWinner === arm.key ? "bg-accent/5" : ""}`}>
              <th scope="row" className="whitespace-nowrap px-3 py-2 font-semibold">
                {arm.key} · v{arm.versionId}
                <span className="block text-xs font-normal text-zinc-400">
                  {arm.weight}% of users{arm.control ? ", control" : ""}
                </span>
              </th>
              <td className="px-3 py-2 text-right tabular-nums">{formatNumber(arm.users)}</td>
              <td className="px-3 py-2 text-right tabular-nums" data-testid="arm-impressions">{formatNumber(arm.impressions)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatNumber(arm.pairs)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatNumber(arm.clicks)}</td>
              <td className="px-3 py-2 tabular-nums"><RateCell rate={arm.ctr} /></td>
              <td className="px-3 py-2 tabular-nums"><TestCell test={arm.vsControl?.ctr} alpha={report.alpha} /></td>
              <td className="px-3 py-2 text-right tabular-nums">{formatNumber(arm.watches)}</td>
              <td className="px-3 py-2 tabular-nums"><RateCell rate={arm.watchRate} /></td>
              <td className="px-3 py-2 tabular-nums"><TestCell test={arm.vsControl?.watchRate} alpha={report.alpha} /></td>
              <td className="px-3 py-2 text-right tabular-nums">
                {formatNumber(arm.ratings)}
                {arm.meanRating !== null && <span className="block text-xs text-zinc-400">★ {arm.meanRating.toFixed(2)}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
