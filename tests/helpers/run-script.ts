import { spawn, type ChildProcess } from "node:child_process";
import { pathToFileURL } from "node:url";
import path from "node:path";

// Run a CLI in scripts/ as a child process: `node [--require preload] --import tsx scripts/X.ts`,
// one node process (the tsx CLI would fork a second one that a kill does not reach), in its own
// process group, with a hard time limit so a hung CLI fails the test instead of stalling it.

export type ScriptRun = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number; timedOut: boolean };

export type RunScriptOptions = {
  /** Merged over process.env; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** CommonJS modules loaded before the script (node --require). */
  preload?: string[];
  timeoutMs?: number;
  /** Run in this folder instead of the repository (tsx still reads the repository's tsconfig). */
  cwd?: string;
  onStderr?: (all: string, child: ChildProcess) => void;
};

export function runScript(script: string, args: string[], opts: RunScriptOptions = {}): Promise<ScriptRun> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...(opts.cwd ? { TSX_TSCONFIG_PATH: path.resolve("tsconfig.json") } : {}),
    ...opts.env,
  };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const flags = (opts.preload ?? []).flatMap((p) => ["--require", path.resolve(p)]);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // tsx as a path: another working directory (opts.cwd) cannot resolve the package name
    const tsx = opts.cwd ? pathToFileURL(path.resolve("node_modules/tsx/dist/loader.mjs")).href : "tsx";
    const child = spawn(process.execPath, [...flags, "--import", tsx, path.resolve("scripts", script), ...args], {
      env: env as NodeJS.ProcessEnv,
      cwd: opts.cwd,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, opts.timeoutMs ?? 60_000);
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => {
      stderr += d;
      opts.onStderr?.(stderr, child);
    });
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, timedOut });
    });
  });
}

/** Run `tasks` with at most `limit` in flight (the CI box has 2 cores; each child is a node start-up). */
export async function pool<T>(tasks: (() => Promise<T>)[], limit = 2): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}

/** A stack frame as node prints it ("    at fn (file.ts:12:3)"): must never reach a user. */
export const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\)|\(<anonymous>\))$/m;
