import type { z } from "zod";
import { formatNumberOrDash as num } from "@/lib/util/format";
import type { modelListResponseSchema } from "./api";

type ModelItem = z.infer<typeof modelListResponseSchema>["items"][number];

const pad = (s: string, n: number) => s.padEnd(n);
const metric = (m: Record<string, number>, key: string) => (m[key] === undefined ? "—" : m[key].toFixed(4));

/**
 * `npm run models -- list` as text: one line per version, `*` at the serving one. A version that
 * is not ready (training, failed) has no stage to show: it can never serve.
 */
export function modelsTableText(items: readonly ModelItem[], servingVersion: number | null): string {
  const lines = [`${pad("", 2)}${pad("id", 6)}${pad("algorithm", 12)}${pad("status", 10)}${pad("stage", 12)}${pad("ndcg@10", 9)}${pad("prec@10", 9)}data`];
  for (const v of items) {
    const snap = v.snapshot as { users?: number; items?: number; interactions?: number };
    const data = snap.users === undefined ? "—" : `${num(snap.users)} users × ${num(snap.items)} movies, ${num(snap.interactions)} interactions`;
    lines.push(
      `${pad(v.id === servingVersion ? "*" : "", 2)}${pad(String(v.id), 6)}${pad(v.algorithm, 12)}${pad(v.status, 10)}${pad(v.status === "ready" ? v.stage : "—", 12)}` +
        `${pad(metric(v.metrics, "ndcg@10"), 9)}${pad(metric(v.metrics, "precision@10"), 9)}${data}`,
    );
  }
  lines.push(servingVersion === null ? "\nnothing serves yet" : `\n* serving: version ${servingVersion}`);
  return lines.join("\n");
}
