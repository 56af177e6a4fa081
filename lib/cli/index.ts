// first: the .env files, before any module below reads the environment
import "./load-dotenv";
import fs from "node:fs";
import path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import cliProgress from "cli-progress";
import { z } from "zod";
import { closeDb } from "@/lib/db";
import { describeDatabaseFailure } from "@/lib/db/errors";
import { EnvError, getEnv } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { intParam } from "@/lib/http/params";
import { stopWhenLauncherGone } from "./launcher";

/** The largest id a row can have (PostgreSQL's integer); a larger one would fail the query itself. */
export const MAX_ID = 2_147_483_647;

/**
 * A whole-number flag in plain decimal digits, within [min, max]. z.coerce.number() took "0x10",
 * "1e3" and " 5" as numbers; a flag value is refused unless it is written the one plain way.
 */
export const intArg = intParam;

/** A row id flag or argument: 1..MAX_ID. */
export function idArg() {
  return intParam(1, MAX_ID);
}

/** A decimal flag such as 0.4 (digits, an optional fraction), within [min, max]. */
export function decimalArg(min: number, max: number) {
  return z
    .string()
    .regex(/^(\d+(\.\d+)?|\.\d+)$/, { error: "must be a number written in digits, e.g. 0.5", abort: true })
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

/** A failure the user can act on: printed as one line, exits with `exitCode`. */
export class CliError extends Error {
  constructor(message: string, public readonly exitCode = 1) {
    super(message);
    this.name = "CliError";
  }
}

/**
 * Parse argv with node's parseArgs, then validate with a zod schema. Unknown flags and bad values
 * become a CliError (exit 2) that names the flag.
 */
export function parseCliArgs<T extends z.ZodType>(
  argv: string[],
  options: ParseArgsConfig["options"],
  schema: T,
  help: string,
): z.infer<T> {
  let values: Record<string, unknown>;
  try {
    let tokens;
    ({ values, tokens } = parseArgs({ args: withNegativeValues(argv, options), options: { ...options, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: false, tokens: true }));
    // parseArgs lets the last of a repeated flag win; `--users 5 --users 500` is more likely a
    // mistake than a wish, so it is refused like the API refuses a repeated query parameter.
    const seen = new Set<string>();
    for (const t of tokens) {
      if (t.kind !== "option") continue;
      if (seen.has(t.name)) throw new Error(`Option '--${t.name}' was given more than once`);
      seen.add(t.name);
    }
  } catch (err) {
    const { code, message } = err as NodeJS.ErrnoException;
    // node words its "argument is ambiguous" error (`--users -5`) over three lines; those messages
    // quote only our own option names, so the breaks can be spaces (oneLine escapes any in argv).
    const text = code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" ? message.replace(/\n/g, " ") : message;
    throw new CliError(`${oneLine(text)}\n\n${help}`, 2);
  }
  if (values.help) {
    process.stdout.write(`${help}\n`);
    process.exit(0);
  }
  delete values.help;
  const result = schema.safeParse(values);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `--${i.path.join(".") || "(args)"}: ${i.message}`);
    throw new CliError(`invalid arguments: ${oneLine(problems.join("; "))}\n\n${help}`, 2);
  }
  return result.data;
}

/**
 * `--users -5` as `--users=-5`: parseArgs takes a value that starts with a dash for an option of
 * its own and refuses it as "ambiguous", so the schema's own check ("must be at least 1", or the
 * script's "must be a whole number written in digits") never spoke. Only a number after a flag
 * that takes a value.
 */
function withNegativeValues(argv: string[], options: ParseArgsConfig["options"]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith("--") && !argv[i].includes("=") ? argv[i].slice(2) : undefined;
    const next = argv[i + 1];
    if (name !== undefined && options?.[name]?.type === "string" && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${argv[i]}=${next}`);
      i++;
    } else out.push(argv[i]);
  }
  return out;
}

/**
 * Refuse flags the chosen mode does not use (exit 2), instead of running without them: `given`
 * are the flags on the command line (flagsGiven), `allowed` the mode's own.
 */
export function refuseFlagsOutside(given: Set<string>, allowed: readonly string[], mode: string, help: string): void {
  const stray = [...given].filter((f) => !allowed.includes(f));
  if (stray.length > 0) throw new CliError(`${stray.map((f) => `--${f}`).join(", ")} ${stray.length === 1 ? "does" : "do"} not apply to ${mode}\n\n${help}`, 2);
}

/** The flags on a command line parseCliArgs accepted (without their values), to tell a default from a choice. */
export function flagsGiven(argv: string[], options: ParseArgsConfig["options"]): Set<string> {
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  return new Set(tokens.filter((t) => t.kind === "option").map((t) => t.name));
}

/**
 * Refuse an output file given as `flag` before any work is done, when it could not be written at
 * the end: a directory, a folder that cannot be made (a parent is a file), no write permission.
 * Makes the missing parent folders, as the write would have.
 */
export function checkOutputFile(flag: string, file: string): void {
  const resolved = path.resolve(file);
  try {
    fs.mkdirSync(path.dirname(resolved), { recursive: true });
    const stat = fs.statSync(resolved, { throwIfNoEntry: false });
    if (stat?.isDirectory()) throw new CliError(`${flag} ${file}: is a directory, not a file`, 2);
    fs.accessSync(stat ? resolved : path.dirname(resolved), fs.constants.W_OK);
  } catch (err) {
    if (err instanceof CliError) throw err;
    const { code, message } = err as NodeJS.ErrnoException;
    const why = code === "EEXIST" || code === "ENOTDIR" ? "part of its path is a file, not a folder" : code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EROFS" ? "read-only file system" : (code ?? message);
    throw new CliError(`${flag} ${file}: cannot write there (${why})`, 2);
  }
}

/** Control characters from argv (a flag name with a newline in it) must not break the one-line message. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Run a CLI entry point: clear one-line errors, non-zero exit codes, database closed at the end.
 * The environment is validated first, so an invalid variable stops every script the same way
 * (exit 2, one line naming it), even `--help` and scripts that would read it only later.
 */
export function runCli(main: () => Promise<void>): void {
  stopAtOnceOnSignals();
  stopWhenLauncherGone();
  stopQuietlyWhenOutputClosed();
  Promise.resolve()
    .then(() => {
      getEnv();
      return main();
    })
    .then(() => {
      closeDb();
    })
    .catch((err: unknown) => {
      closeDb();
      if (err instanceof CliError) {
        // Messages may quote input (a line of a binary file): never send its control characters to the terminal.
        process.stderr.write(`error: ${err.message.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "\ufffd")}\n`);
        process.exit(err.exitCode);
      }
      if (err instanceof EnvError) {
        process.stderr.write(`error: invalid environment: ${oneLine(err.issues.join("; "))}\n`);
        process.exit(2);
      }
      // A service's refusal (the one error contract) is a message meant for people, whichever
      // script met it: scripts map the codes they expect to exit codes, the rest end here.
      if (err instanceof ApiError) {
        process.stderr.write(`error: ${oneLine(err.message)}\n`);
        process.exit(1);
      }
      const database = describeDatabaseFailure(err);
      if (database) {
        process.stderr.write(`error: ${oneLine(database)}\n`);
        process.exit(1);
      }
      process.stderr.write(`error: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exit(1);
    });
}

/**
 * A reader that went away (`npm run --silent models -- list | head -3`) ends the script as SIGPIPE
 * ends a Unix tool: at once, quietly, exit 141 (128 + SIGPIPE), whatever it was doing (a training
 * run stops as on SIGTERM: nothing half-written serves). Node ignores SIGPIPE and reports the
 * failed write as an `error` event on the stream instead, which nothing handled: a stack trace.
 * Both streams (`2>&1 | head`).
 */
function stopQuietlyWhenOutputClosed(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EPIPE") throw err;
      closeDb();
      process.exit(141);
    });
  }
}

/**
 * SIGINT and SIGTERM end a script at once, whatever it is doing. A JavaScript signal handler runs
 * only when the event loop does, and training, imports and evaluation spend minutes in synchronous
 * code (a model fit, one big transaction), so a handler (tsx registers one in every script it runs)
 * held a `kill` until the work was done: a killed training run finished and promoted its model.
 * With no handler the signal's default action ends the process; every write is a transaction, so
 * nothing is left half-done (docs/reliability.md). Scripts that stop gracefully (the crawl between
 * requests, the worker for a crawl, `npm start` passing it on) add their own handlers after this.
 */
export function stopAtOnceOnSignals(): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.removeAllListeners(signal);
}

export type Progress = { tick(n?: number, note?: string): void; setTotal(total: number): void; stop(): void };

/**
 * A progress bar on a terminal; plain log lines (at most one per ~10% or 5 s) otherwise.
 * Always writes to stderr so stdout stays clean for JSON output.
 *
 * The bar leaves the terminal's modes alone: no hidden cursor, no line wrap turned off (cli-progress
 * trims each line to the width instead). Ctrl-C and SIGTERM end a script at once, without running
 * any JavaScript (stopAtOnceOnSignals), so a bar could not be stopped on the way out, and a hidden
 * cursor and disabled wrapping stayed with the shell after the script was gone. A signal handler
 * would restore them only after synchronous work (a model fit) had finished.
 */
export function createProgress(label: string, total: number): Progress {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted} {note}`, stream: process.stderr, hideCursor: false, linewrap: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { note: "" });
    return {
      tick: (n = 1, note = "") => bar.increment(n, { note }),
      setTotal: (t) => bar.setTotal(t),
      stop: () => bar.stop(),
    };
  }
  let done = 0;
  let lastPct = -1;
  let lastAt = 0;
  const started = Date.now();
  return {
    tick(n = 1, note = "") {
      done += n;
      const pct = total > 0 ? Math.floor((done / total) * 10) * 10 : 0;
      if (pct !== lastPct || Date.now() - lastAt > 5000) {
        lastPct = pct;
        lastAt = Date.now();
        const secs = ((Date.now() - started) / 1000).toFixed(1);
        process.stderr.write(`${label}: ${done}/${total} (${total ? Math.round((done / total) * 100) : 0}%) ${secs}s ${note}\n`);
      }
    },
    setTotal(t) {
      total = t;
    },
    stop() {},
  };
}
