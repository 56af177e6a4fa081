import { describe, expect, it } from "vitest";
import { describeWorkerExit } from "@/lib/jobs/worker-process";

// What a job's error says when its worker ended without finishing it (the admin's job card shows it).
describe("describeWorkerExit", () => {
  it("names the signal, whether the worker died of it or handled it and exited 128 + its number", () => {
    // was "worker exited with code 143": a `kill <worker pid>` during training, in shell terms
    expect(describeWorkerExit(143, null)).toBe("worker stopped by SIGTERM before the job finished");
    expect(describeWorkerExit(130, null)).toBe("worker stopped by SIGINT before the job finished");
    expect(describeWorkerExit(137, null)).toBe("worker stopped by SIGKILL before the job finished");
    expect(describeWorkerExit(null, "SIGKILL")).toBe("worker stopped by SIGKILL before the job finished");
  });

  it("gives any other exit code as it is", () => {
    expect(describeWorkerExit(1, null)).toBe("worker exited with code 1 before the job finished");
    expect(describeWorkerExit(3, null)).toBe("worker exited with code 3 before the job finished");
  });
});
