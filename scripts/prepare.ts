// npm run prepare-data — migrate and load the embedded default into DATABASE_PATH (or DATABASE_URL). Safe to re-run.
import { runCli } from "@/lib/cli";
import { getEnv } from "@/lib/env";
import { prepareEmbeddedDefault } from "@/lib/setup/prepare";

runCli(async () => {
  const report = await prepareEmbeddedDefault((line) => console.log(line));
  const env = getEnv();
  // The PostgreSQL URL may hold a password: name only its host and database.
  const target = env.DATABASE_URL ? `PostgreSQL ${new URL(env.DATABASE_URL).host}${new URL(env.DATABASE_URL).pathname}` : env.DATABASE_PATH;
  console.log(`prepared ${target} in ${report.seconds.toFixed(1)}s`);
});
