import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTraining } from "@/lib/recs/train";
import { testingPostgres } from "../../helpers/temp-db";
import { useTrainedDb } from "../../helpers/trained-db";

// The admin's job card shows the training job's message, read by another process while training
// runs. A stage that starts right after another ends must say so at once: the fit's first report
// came within 0.5 s of validation's last and was dropped, so the card said "validating…" for the
// whole fit. Read here with a second connection, as the web server reads it, at the end of the
// fit (before its own report), which is what any reader saw during it.
describe.skipIf(testingPostgres())("training job messages", () => {
  let tmp: Awaited<ReturnType<typeof useTrainedDb>>;
  beforeAll(async () => {
    tmp = await useTrainedDb({ users: 60, model: "popularity" });
  }, 60_000);
  afterAll(() => tmp.cleanup());

  it("say the stage that runs, in words, from its start", async () => {
    const reader = new Database(tmp.file, { readonly: true });
    const message = () => (reader.prepare("select message from jobs where kind = 'train' order by id desc limit 1").get() as { message: string }).message;
    const seen: Record<string, string> = {};
    await runTraining({
      model: "popularity",
      topN: 10,
      neighbors: 10,
      force: true,
      onProgress: (stage, overall) => {
        if (stage === "fit" && overall >= 0.55) seen.duringFit = message();
        // reports from inside the synchronous validation and neighbour search (after each
        // stage's own first report): their own writes wait for the event loop, so the row says
        // what the stage's start wrote (was: "loading interactions" through all of validation)
        if (stage === "validate" && overall > 0.05 && overall < 0.35) seen.duringValidation ??= message();
        if (stage === "neighbors" && overall > 0.55) seen.duringNeighbors ??= message();
      },
    });
    reader.close();
    expect(seen).toEqual({
      duringValidation: "validating on held-out interactions",
      duringFit: "fitting the model on all interactions",
      duringNeighbors: "finding each movie's neighbours",
    });
  });
});
