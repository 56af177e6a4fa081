import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completeModelVersion, createModelVersion, getModelVersion, getServingVersionId } from "@/lib/mlops/registry";
import { applyPromotionGate } from "@/lib/recs/train";
import { useTempDb } from "../../helpers/temp-db";

// The gate's sentence is what the job card, the run's outcome and the CLI show: "forced" only when
// the force made the difference (a forced retrain that would have passed anyway said "(forced)").
let tmp: ReturnType<typeof useTempDb>;
beforeAll(() => {
  tmp = useTempDb();
});
afterAll(() => tmp.cleanup());

const actor = { userId: null, label: "cli:test" };
async function readyVersion(ndcg: number): Promise<number> {
  const { id } = await createModelVersion({ algorithm: "popularity", params: {} });
  await completeModelVersion(id, { metrics: { "ndcg@10": ndcg }, snapshot: {}, durationMs: 1 });
  return id;
}

describe("applyPromotionGate", () => {
  it("promotes the first version, a better one, and a forced worse one, saying 'forced' only for the last", async () => {
    const first = await readyVersion(0.2);
    expect(await applyPromotionGate(first, { "ndcg@10": 0.2 }, { tolerance: 0.005, actor })).toEqual({ promoted: true, gate: "promoted: first model version" });

    const better = await readyVersion(0.25);
    expect(await applyPromotionGate(better, { "ndcg@10": 0.25 }, { force: true, tolerance: 0.005, actor })).toEqual({
      promoted: true,
      gate: `promoted: nDCG@10 0.2500 vs serving v${first} 0.2000`,
    });

    const worse = await readyVersion(0.1);
    expect(await applyPromotionGate(worse, { "ndcg@10": 0.1 }, { tolerance: 0.005, actor })).toEqual({
      promoted: false,
      gate: `kept as candidate: nDCG@10 0.1000 is worse than serving v${better} (0.2500) by more than 0.005`,
    });
    expect(await getServingVersionId()).toBe(better);
    expect(await applyPromotionGate(worse, { "ndcg@10": 0.1 }, { force: true, tolerance: 0.005, actor })).toEqual({
      promoted: true,
      gate: `promoted: nDCG@10 0.1000 vs serving v${better} 0.2500 (forced past the gate)`,
    });
    expect(await getModelVersion(worse)).toMatchObject({ stage: "production" });

    // a little worse, within the tolerance: promoted, and saying why
    const close = await readyVersion(0.098);
    expect(await applyPromotionGate(close, { "ndcg@10": 0.098 }, { tolerance: 0.005, actor })).toEqual({
      promoted: true,
      gate: `promoted: nDCG@10 0.0980 vs serving v${worse} 0.1000 (within the gate's 0.005 tolerance)`,
    });
  });
});
