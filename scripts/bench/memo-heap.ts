// npm run bench:memo — what the memo of finished lists (lib/recs/list-cache.ts) really takes on
// the heap per list, against what it counts towards RECOMMEND_MEMO_MB. In-process on
// DATABASE_PATH. Results and the command: docs/benchmarks.md.
import v8 from "node:v8";
import vm from "node:vm";
import { z } from "zod";
import { CliError, intArg, parseCliArgs, runCli } from "@/lib/cli";
import { getEnv } from "@/lib/env";
import { getServingSnapshot } from "@/lib/mlops/registry";
import { listCachedUserIds } from "@/lib/recs/cache";
import { clearListCache, listCacheStats } from "@/lib/recs/list-cache";
import { recommendForUser } from "@/lib/recs/serve";

const HELP = `usage: DATABASE_PATH=... npm run bench:memo -- [--users 3000] [--k 10] [--json]

Serves --users users of the serving model once (so every other cache is warm), empties the memo,
serves them again with a full garbage collection before and after, and compares the heap the
second pass kept with the bytes the memo counted for it.`;

const schema = z.object({
  users: intArg(100, 100_000).default(3000),
  k: intArg(1, 100).default(10),
  json: z.boolean().default(false),
});

function collector(): () => void {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  return () => {
    for (let i = 0; i < 3; i++) gc();
  };
}

runCli(async () => {
  const args = parseCliArgs(process.argv.slice(2), { users: { type: "string" }, k: { type: "string" }, json: { type: "boolean" } }, schema, HELP);
  const serving = await getServingSnapshot();
  if (!serving) throw new CliError("no serving model version: run npm run train first");
  const users = await listCachedUserIds(serving.versionId, args.users);
  const budget = getEnv().RECOMMEND_MEMO_MB * 1024 * 1024;
  if (budget === 0) throw new CliError("the memo is off (RECOMMEND_MEMO_MB=0)");
  const gc = collector();

  const serveAll = async () => {
    for (const userId of users) await recommendForUser({ userId, k: args.k });
  };
  await serveAll(); // warms the movie facts, the user activity and everything else but the memo
  clearListCache();
  gc();
  const before = process.memoryUsage().heapUsed;
  await serveAll();
  gc();
  const heap = process.memoryUsage().heapUsed - before;
  const { entries, bytes } = listCacheStats();
  if (entries === 0) throw new CliError("no list was memoised (do these users' lists come from the model's cache?)");
  if (bytes >= budget * 0.95) throw new CliError(`the memo is full (${bytes} of ${budget} bytes): use fewer --users or a larger RECOMMEND_MEMO_MB`);

  const summary = {
    database: getEnv().DATABASE_PATH,
    servingVersion: serving.versionId,
    users: users.length,
    k: args.k,
    entries,
    countedBytes: bytes,
    heapBytes: heap,
    countedPerEntry: Math.round(bytes / entries),
    heapPerEntry: Math.round(heap / entries),
    heapOverCounted: Math.round((heap / bytes) * 100) / 100,
    listsPer64MB: Math.floor((64 * 1024 * 1024) / (heap / entries)),
  };
  if (args.json) {
    console.log(JSON.stringify(summary, null, 2));
    return;
  }
  console.log(`${entries} lists of k=${args.k} memoised (version ${serving.versionId}, ${getEnv().DATABASE_PATH})`);
  console.log(`counted towards RECOMMEND_MEMO_MB: ${bytes} bytes (${summary.countedPerEntry} per list)`);
  console.log(`kept on the heap:                  ${heap} bytes (${summary.heapPerEntry} per list), ${summary.heapOverCounted}× what was counted`);
  console.log(`so 64 MB of real heap holds about ${summary.listsPer64MB} such lists`);
});
