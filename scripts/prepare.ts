// npm run prepare-data — migrate and load the embedded default into DATABASE_PATH. Safe to re-run.
import { runCli } from "@/lib/cli";
import { getEnv } from "@/lib/env";
import { prepareEmbeddedDefault } from "@/lib/setup/prepare";

runCli(async () => {
  const report = await prepareEmbeddedDefault((line) => console.log(line));
  console.log(`prepared ${getEnv().DATABASE_PATH} in ${report.seconds.toFixed(1)}s`);
});
