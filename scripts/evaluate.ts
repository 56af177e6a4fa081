// Offline evaluation of a recommender on MovieLens-format files. Prints one JSON object on stdout;
// progress goes to stderr. See docs/evaluation.md for the protocol and measured numbers.
import fs from "node:fs";
import { z } from "zod";
import { checkOutputFile, CliError, createProgress, intArg, parseCliArgs, runCli, type Progress } from "@/lib/cli";
import { evaluateModel, formatRecommendations, joinTables, splitTable, type TrainTest } from "@/lib/recs/evaluate";
import { RatingsFileError, readRatingsFile } from "@/lib/recs/io";
import { DEFAULT_MODEL, MODEL_NAMES, MODELS, isModelName } from "@/lib/recs/models";
import { EaseTooManyItemsError } from "@/lib/recs/models/ease";
import { parseSplitSpec } from "@/lib/recs/split";

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

// Every parameter of every model becomes a --kebab-case flag; which ones apply depends on --model.
const paramFlags = new Map<string, string>(); // flag → param key
const numberParams = new Set<string>(); // keys whose value is a number (the rest are a choice of words)
for (const spec of Object.values(MODELS)) {
  for (const [key, field] of Object.entries((spec.paramsSchema as unknown as z.ZodObject).shape)) {
    paramFlags.set(kebab(key), key);
    if ((field instanceof z.ZodDefault ? field.unwrap() : field) instanceof z.ZodNumber) numberParams.add(key);
  }
}

const HELP = `usage: npm run --silent evaluate -- (--ratings FILE [--split item:0.75] | --train FILE --test FILE) [options]

Trains a model on the training interactions (every rating is a positive interaction), recommends the
top k unseen items for every training user and prints precision@k, recall@k, nDCG@k and MAP as JSON.
Files: MovieLens u.data (tab-separated "user item rating timestamp"), ratings.csv (with or without
the "userId,movieId,rating,timestamp" header) or ratings.dat ("::"), detected automatically.

  --ratings FILE       one ratings file, split into train/test with --split and --seed
  --split BY:RATIO     item:0.75 (default; per-item stratified, as the reference split.py) or user:0.75
  --seed N             seed for the split (default 42)
  --train FILE         training ratings (with --test instead of --ratings)
  --test FILE          held-out ratings
  --model NAME         ${MODEL_NAMES.join(" | ")} (default ${DEFAULT_MODEL})
  --k N                list length (default 10)
  --recs-out FILE      also write every training user's top k as "user<TAB>item<TAB>score" lines
model parameters (defaults in docs/evaluation.md):
${MODEL_NAMES.map((name) => `  ${name}: ${Object.keys((MODELS[name].paramsSchema as unknown as z.ZodObject).shape).map((k) => `--${kebab(k)}`).join(" ") || "(none)"}`).join("\n")}

Exit codes: 0 evaluated · 1 failed (e.g. a file that cannot be read) · 2 bad arguments or model
parameters · 130 / 143 stopped by Ctrl-C / SIGTERM (nothing is written but --recs-out).`;

const argsSchema = z
  .object({
    ratings: z.string().optional(),
    split: z.string().default("item:0.75"),
    seed: intArg(0, Number.MAX_SAFE_INTEGER).default(42),
    train: z.string().optional(),
    test: z.string().optional(),
    model: z.string().default(DEFAULT_MODEL),
    k: intArg(1, 10_000).default(10),
    "recs-out": z.string().optional(),
  })
  .catchall(z.string())
  .superRefine((a, ctx) => {
    // One input: --ratings (split here), or --train with --test. Each problem is a flag's own
    // ("--test: is required with --train"): an issue on no flag read "--(args): …".
    const issue = (flag: string, message: string) => ctx.addIssue({ code: "custom", message, path: [flag] });
    if (a.ratings) {
      for (const flag of ["train", "test"] as const) if (a[flag]) issue(flag, "must not be given with --ratings");
    } else if (!a.train && !a.test) issue("ratings", "is required (or --train FILE and --test FILE)");
    else if (!a.test) issue("test", "is required with --train");
    else if (!a.train) issue("train", "is required with --test");
    if (!isModelName(a.model)) issue("model", `must be one of ${MODEL_NAMES.join(", ")}`);
  });

const PLAIN_NUMBER = /^-?(\d+(\.\d+)?|\.\d+)$/;

async function main(argv: string[]): Promise<void> {
  const options = Object.fromEntries(
    ["ratings", "split", "seed", "train", "test", "model", "k", "recs-out", ...paramFlags.keys()].map((f) => [f, { type: "string" as const }]),
  );
  const args = parseCliArgs(argv, options, argsSchema, HELP);
  const model = args.model as (typeof MODEL_NAMES)[number];

  // Model parameters: only the chosen model's flags are allowed.
  const own = new Set(Object.keys((MODELS[model].paramsSchema as unknown as z.ZodObject).shape));
  const params: Record<string, unknown> = {};
  for (const [flag, key] of paramFlags) {
    const value = (args as Record<string, unknown>)[flag];
    if (value === undefined) continue;
    if (!own.has(key)) throw new CliError(`--${flag} does not apply to model ${model}\n\n${HELP}`, 2);
    // the models' schemas coerce, which would take "0x10" or "1e3"; a flag is written in plain digits
    if (typeof value === "string" && numberParams.has(key) && !PLAIN_NUMBER.test(value)) throw new CliError(`invalid model parameters: --${flag}: must be a number written in digits, e.g. 0.5`, 2);
    params[key] = value;
  }
  const parsedParams = MODELS[model].paramsSchema.safeParse(params);
  if (!parsedParams.success) {
    const problems = parsedParams.error.issues.map((i) => `--${kebab(String(i.path[0] ?? "params"))}: ${i.message}`);
    throw new CliError(`invalid model parameters: ${problems.join("; ")}`, 2);
  }
  // before the work, not after it: a path that cannot be written is known now
  if (args["recs-out"]) checkOutputFile("--recs-out", args["recs-out"]);

  let data: TrainTest;
  try {
    if (args.ratings) {
      let spec: ReturnType<typeof parseSplitSpec>;
      try {
        spec = parseSplitSpec(args.split);
      } catch (err) {
        throw new CliError((err as Error).message, 2);
      }
      data = splitTable(readRatingsFile(args.ratings), spec.by, spec.ratio, args.seed);
    } else {
      data = joinTables(readRatingsFile(args.train!), readRatingsFile(args.test!));
    }
  } catch (err) {
    if (err instanceof RatingsFileError) throw new CliError(err.message);
    throw err;
  }

  const progress = new Map<string, { bar: Progress; done: number }>();
  let run;
  try {
    run = evaluateModel(data, {
      model,
      params: parsedParams.data as Record<string, unknown>,
      k: args.k,
      seed: args.seed,
      onProgress(stage, done, total) {
        let p = progress.get(stage);
        if (!p) progress.set(stage, (p = { bar: createProgress(stage, total), done: 0 }));
        p.bar.tick(done - p.done);
        p.done = done;
      },
    });
  } catch (err) {
    if (err instanceof EaseTooManyItemsError) throw new CliError(err.message);
    throw err;
  } finally {
    for (const p of progress.values()) p.bar.stop();
  }

  // Metrics over no user would read as a model that scored 0: say what is wrong instead.
  if (run.report.evaluatedUsers === 0) {
    throw new CliError(
      `no user could be evaluated (${run.report.users} users, ${run.report.trainInteractions} training and ${run.report.testInteractions} test ` +
        "interactions): the file is too small to split, or test users have no training history; nothing was written",
    );
  }
  if (args["recs-out"]) {
    try {
      fs.writeFileSync(args["recs-out"], formatRecommendations(run));
    } catch (err) {
      throw new CliError(`cannot write ${args["recs-out"]}: ${(err as Error).message}`);
    }
  }
  process.stdout.write(`${JSON.stringify(run.report, null, 2)}\n`);
}

runCli(() => main(process.argv.slice(2)));
