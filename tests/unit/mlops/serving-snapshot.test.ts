import { getServingSnapshot, invalidateServingSnapshot, peekServingSnapshot, SERVING_TTL_MS } from "@/lib/mlops/registry";
import { describeReadCache } from "../../helpers/read-cache";

// no model in the database: the serving snapshot is null
describeReadCache("serving snapshot cache", {
  read: getServingSnapshot,
  peek: () => peekServingSnapshot(),
  ttlMs: SERVING_TTL_MS,
  forget: invalidateServingSnapshot,
  stepBackBlocks: "a promotion",
});
