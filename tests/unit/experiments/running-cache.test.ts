import { getRunningExperiment, invalidateRunningExperiment, peekRunningExperiment, RUNNING_TTL_MS } from "@/lib/experiments/serve";
import { describeReadCache } from "../../helpers/read-cache";

// no experiment in the database: the running experiment is null
describeReadCache("running experiment cache", {
  read: getRunningExperiment,
  peek: () => peekRunningExperiment(),
  ttlMs: RUNNING_TTL_MS,
  forget: invalidateRunningExperiment,
  stepBackBlocks: "starting an experiment",
});
