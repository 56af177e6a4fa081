// Model registry from the command line: list versions, promote one, roll back. Every switch is
// recorded in the audit trail (actor "cli:<os user>"), like the admin UI's.
import os from "node:os";
import { z } from "zod";
import { CliError, idArg, MAX_ID, runCli } from "@/lib/cli";
import { requireExistingDatabase } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { promoteVersion, rollbackServing, type ModelActor } from "@/lib/mlops/actions";
import { listModelsForApi } from "@/lib/mlops/api";
import { modelsTableText } from "@/lib/mlops/models-text";

const HELP = `usage: npm run models -- <command>

  list          every model version, newest first: id, algorithm, status/stage, nDCG@10,
                precision@10, snapshot
  promote ID    make ready version ID the serving one
  rollback      serve the previous production version again (the one that served before, still
                cached; versions that were rolled back away from are skipped)

Promote and rollback are one atomic switch of the serving pointer, recorded with who and when.

Exit codes: 0 done · 1 refused (the version is not ready, nothing to roll back to) · 2 bad
arguments, no such version, or no database at DATABASE_PATH.`;

const commandSchema = z.union([
  z.tuple([z.literal("list")]),
  z.tuple([z.literal("promote"), idArg()]),
  z.tuple([z.literal("rollback")]),
]);

function actor(): ModelActor {
  let user = "unknown";
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry (some containers)
  }
  return { userId: null, label: `cli:${user}` };
}

async function list() {
  // every version, read a page at a time (the API's pages)
  let page = await listModelsForApi();
  const { servingVersion } = page;
  const items = [...page.items];
  while (page.nextBefore !== null) {
    page = await listModelsForApi({ before: page.nextBefore });
    items.push(...page.items);
  }
  if (items.length === 0) {
    console.log("no model versions yet: run `npm run train` (or retrain from /admin/jobs)");
    return;
  }
  console.log(modelsTableText(items, servingVersion));
}

runCli(async () => {
  const argv = process.argv.slice(2);
  if (argv.length === 0) throw new CliError(`missing command: list, promote ID or rollback\n\n${HELP}`, 2);
  if (argv.includes("-h") || argv.includes("--help")) {
    console.log(HELP);
    return;
  }
  const parsed = commandSchema.safeParse(argv);
  if (!parsed.success) {
    // `promote abc` is a bad ID, not an unknown command.
    if (argv[0] === "promote" && argv.length <= 2) {
      const problem =
        argv.length === 1
          ? "needs a version ID"
          : /^[1-9]\d*$/.test(argv[1])
            ? `${argv[1]}: there is no such version (ids are 1 to ${MAX_ID})`
            : `${argv[1]}: ID must be a positive whole number (the id column of \`list\`)`;
      throw new CliError(`promote ${problem}\n\n${HELP}`, 2);
    }
    throw new CliError(`unknown command: ${argv.join(" ")}\n\n${HELP}`, 2);
  }
  const [command, id] = parsed.data as [string, number?];
  requireExistingDatabase();
  try {
    if (command === "list") return await list();
    const result = command === "promote" ? await promoteVersion(id!, actor()) : await rollbackServing(actor());
    console.log(
      `${command === "promote" ? "promoted" : "rolled back to"} version ${result.servingVersion}` +
        (result.previousVersion === null ? "" : ` (was ${result.previousVersion})`),
    );
  } catch (err) {
    if (err instanceof ApiError) throw new CliError(err.message, err.code === "not_found" ? 2 : 1);
    throw err;
  }
});
