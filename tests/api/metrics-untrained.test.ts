import { afterAll, beforeAll, expect, it } from "vitest";
import { GET as metrics } from "@/app/api/metrics/route";
import { useTempDb } from "../helpers/temp-db";

// A database that never trained: the training gauges have no sample, rather than 0 (a Grafana
// "since the last successful training" panel read 0 as 1970, about 56 years ago).

let tmp: ReturnType<typeof useTempDb>;
beforeAll(() => {
  tmp = useTempDb();
});
afterAll(() => tmp.cleanup());

it("leaves the training gauges without a sample until a training run has finished", async () => {
  const text = await (await metrics(new Request("http://x/api/metrics"))).text();
  expect(text).toMatch(/^# TYPE matinee_training_last_success_timestamp_seconds gauge$/m);
  expect(text).not.toMatch(/^matinee_training_last_success_timestamp_seconds /m);
  expect(text).not.toMatch(/^matinee_training_last_duration_seconds /m);
});
