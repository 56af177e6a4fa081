import { execFile, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

// A throw-away PostgreSQL server for tests and benchmarks: initdb into a fresh temporary directory,
// start it on a free loopback port with durability switched off (fsync, synchronous_commit,
// full_page_writes), stop it and delete the directory afterwards. Needs the server binaries
// (Debian: apt-get install -y postgresql). initdb and postgres refuse to run as root, so as root the
// directory is handed to the `postgres` user and the binaries run through runuser (or su).

export type PgServer = {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust authentication, no password). */
  url: string;
  port: number;
  /** The data directory; it also holds the server log (`log`) and the Unix socket. */
  dataDir: string;
  /** Stop the server (fast, then immediate shutdown) and delete the data directory. Idempotent. */
  stop(): Promise<void>;
};

export type StartPostgresOptions = {
  /** A fixed port; by default a free one is picked (and another one tried if it is taken meanwhile). */
  port?: number;
};

const NOT_INSTALLED = "PostgreSQL is not installed: apt-get install -y postgresql";
const START_ATTEMPTS = 4;

let cachedBinDir: string | undefined;

/** The directory with initdb, pg_ctl, postgres and psql: `pg_config --bindir`, else the newest /usr/lib/postgresql/N/bin. */
export function findPgBinDir(): string {
  if (cachedBinDir) return cachedBinDir;
  const hasServer = (dir: string) => ["initdb", "pg_ctl", "postgres"].every((b) => isExecutable(path.join(dir, b)));
  let fromPgConfig: string | undefined;
  try {
    fromPgConfig = execFileSync("pg_config", ["--bindir"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 }).trim();
  } catch {
    // no pg_config (or a broken one): look in the Debian location below
  }
  if (fromPgConfig && hasServer(fromPgConfig)) return (cachedBinDir = fromPgConfig);
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => /^\d+(\.\d+)?$/.test(v) && hasServer(path.join(root, v, "bin")))
        .sort((a, b) => parseFloat(b) - parseFloat(a))
    : [];
  if (versions.length === 0) throw new Error(NOT_INSTALLED);
  return (cachedBinDir = path.join(root, versions[0], "bin"));
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? "").split(path.delimiter), "/usr/sbin", "/sbin", "/usr/bin", "/bin"]) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

type Runner = { run(cmd: string, args: string[], opts?: { timeoutMs?: number }): Promise<{ stdout: string; stderr: string }> };

/** Runs the server binaries: directly, or as the `postgres` user when this process is root. */
function makeRunner(cwd: string): Runner {
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const runuser = asRoot ? findOnPath("runuser") : undefined;
  const su = asRoot && !runuser ? findOnPath("su") : undefined;
  if (asRoot && !runuser && !su) throw new Error("running as root, but neither runuser nor su exists to run PostgreSQL as the postgres user");
  const argv = (cmd: string, args: string[]): [string, string[]] => {
    if (!asRoot) return [cmd, args];
    if (runuser) return [runuser, ["-u", "postgres", "--", cmd, ...args]];
    return [su!, ["postgres", "-s", "/bin/sh", "-c", [cmd, ...args].map(shellQuote).join(" ")]];
  };
  // English messages (the start retry looks for "Address already in use" in the log).
  const env = { ...process.env, LC_ALL: "C", LANG: "C" };
  return {
    run(cmd, args, opts = {}) {
      const [file, fileArgs] = argv(cmd, args);
      return new Promise((resolve, reject) => {
        execFile(file, fileArgs, { cwd, env, encoding: "utf8", timeout: opts.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
          if (err) {
            const msg = `${path.basename(cmd)} failed (${err.code ?? err.signal ?? err.message}): ${`${stderr}\n${stdout}`.trim().slice(-2000)}`;
            reject(Object.assign(new Error(msg), { stdout, stderr }));
          } else resolve({ stdout, stderr });
        });
      });
    },
  };
}

/** uid and gid of the `postgres` user (root only). */
function postgresIds(): { uid: number; gid: number } {
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
    if (Number.isInteger(uid) && Number.isInteger(gid)) return { uid, gid };
  } catch {
    // fall through
  }
  throw new Error("running as root, but there is no `postgres` user to run PostgreSQL as (apt-get install -y postgresql creates it; or run the tests as a normal user)");
}

/**
 * Where the temporary directory goes: os.tmpdir(), unless (as root) the postgres user could not reach
 * it or its path needs quoting in the server's command line; then /tmp.
 */
function tempBase(asRoot: boolean): string {
  const base = fs.realpathSync(os.tmpdir());
  if (!/^[A-Za-z0-9_./-]+$/.test(base)) return "/tmp";
  if (asRoot) {
    for (let dir = base; ; dir = path.dirname(dir)) {
      if ((fs.statSync(dir).mode & 0o001) === 0) return "/tmp";
      if (dir === path.dirname(dir)) break;
    }
  }
  return base;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function logTail(dataDir: string, lines = 30): string {
  try {
    return fs.readFileSync(path.join(dataDir, "log"), "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no server log)";
  }
}

function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// Servers not stopped yet: killed synchronously when the process exits (a crashed or interrupted
// test run), so no postgres outlives it. One 'exit' listener for all of them. A process killed by a
// signal runs no 'exit' handler, so each server also gets a watchdog (below).
type Tracked = { pid: number | undefined; watchdog: number | undefined };
const running = new Map<string, Tracked>();
let exitHandlerInstalled = false;

function killQuietly(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function killAllSync(): void {
  for (const [dataDir, tracked] of running) {
    if (tracked.watchdog) killQuietly(-tracked.watchdog, "SIGKILL"); // its process group: the shell and its sleep
    const pid = postmasterPid(dataDir) ?? tracked.pid;
    if (pid && alive(pid)) {
      killQuietly(pid, "SIGQUIT"); // immediate shutdown: the postmaster ends its backends and exits
      const deadline = Date.now() + 3000;
      while (alive(pid) && fs.existsSync(path.join(dataDir, "postmaster.pid")) && Date.now() < deadline) sleepSync(20);
      if (fs.existsSync(path.join(dataDir, "postmaster.pid"))) killQuietly(pid, "SIGKILL");
    }
    try {
      fs.rmSync(dataDir, { recursive: true, force: true });
    } catch {
      // best effort while exiting
    }
  }
  running.clear();
}

/**
 * A detached shell that outlives this process: once this process is gone (even by SIGKILL, which
 * skips 'exit' handlers) it shuts the server down immediately and deletes its directory. stop()
 * and the exit handler kill it first.
 */
function spawnWatchdog(dataDir: string, pid: number | undefined): number | undefined {
  if (!pid || !fs.existsSync("/bin/sh")) return undefined;
  const script =
    `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ` +
    `kill -QUIT ${pid} 2>/dev/null; i=0; while [ -e '${dataDir}/postmaster.pid' ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; ` +
    `kill -KILL ${pid} 2>/dev/null; rm -rf '${dataDir}'`;
  try {
    const child = spawn("/bin/sh", ["-c", script], { detached: true, stdio: "ignore" });
    child.on("error", () => {});
    child.unref();
    return child.pid;
  } catch {
    return undefined;
  }
}

function track(dataDir: string, pid: number | undefined): void {
  running.set(dataDir, { pid, watchdog: spawnWatchdog(dataDir, pid) });
  if (!exitHandlerInstalled) {
    exitHandlerInstalled = true;
    process.on("exit", killAllSync);
  }
}

async function isReady(binDir: string, port: number): Promise<boolean> {
  const pgIsReady = path.join(binDir, "pg_isready");
  if (isExecutable(pgIsReady)) {
    return new Promise((resolve) => {
      execFile(pgIsReady, ["-q", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "postgres", "-t", "2"], { timeout: 5000 }, (err) => resolve(!err));
    });
  }
  return new Promise((resolve) => {
    const sock = net.connect({ host: "127.0.0.1", port }, () => {
      sock.destroy();
      resolve(true);
    });
    sock.on("error", () => resolve(false));
  });
}

/** Start a throw-away PostgreSQL server in a new temporary directory. */
export async function startPostgres(opts: StartPostgresOptions = {}): Promise<PgServer> {
  if (opts.port !== undefined && !(Number.isInteger(opts.port) && opts.port > 0 && opts.port < 65536)) throw new Error(`invalid port: ${opts.port}`);
  const binDir = findPgBinDir();
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const ids = asRoot ? postgresIds() : undefined;
  const dataDir = fs.mkdtempSync(path.join(tempBase(asRoot), "matinee-pg-"));
  const cleanup = () => fs.rmSync(dataDir, { recursive: true, force: true });
  let runner: Runner;
  try {
    if (ids) fs.chownSync(dataDir, ids.uid, ids.gid);
    fs.chmodSync(dataDir, 0o700);
    runner = makeRunner(dataDir);
    await runner.run(path.join(binDir, "initdb"), ["-D", dataDir, "--auth=trust", "--username=postgres", "--encoding=UTF8", "--locale=C", "--no-sync"]);
  } catch (err) {
    cleanup();
    throw new Error(`initdb failed: ${(err as Error).message}`);
  }

  const pgCtl = path.join(binDir, "pg_ctl");
  const logFile = path.join(dataDir, "log");
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = opts.port ?? (await freePort());
    const serverOpts = [
      "-c listen_addresses=127.0.0.1",
      `-p ${port}`,
      `-c unix_socket_directories=${dataDir}`,
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=300",
    ].join(" ");
    try {
      await runner.run(pgCtl, ["-D", dataDir, "-l", logFile, "-w", "-t", "60", "-o", serverOpts, "start"]);
      track(dataDir, postmasterPid(dataDir));
      break;
    } catch (err) {
      const tail = logTail(dataDir);
      // a postmaster that pg_ctl gave up waiting for must not stay behind
      const pid = postmasterPid(dataDir);
      if (pid && alive(pid)) {
        await runner.run(pgCtl, ["-D", dataDir, "-m", "immediate", "-w", "stop"]).catch(() => {
          if (alive(pid)) process.kill(pid, "SIGKILL");
        }).catch(() => {});
      }
      const portTaken = /Address already in use|could not create any TCP\/IP sockets|could not bind/i.test(tail);
      if (opts.port === undefined && portTaken && attempt < START_ATTEMPTS) continue;
      cleanup();
      throw new Error(`PostgreSQL did not start on 127.0.0.1:${port} (data directory ${dataDir}, removed): ${(err as Error).message}\n--- server log (tail) ---\n${tail}`);
    }
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      try {
        await runner.run(pgCtl, ["-D", dataDir, "-m", "fast", "-w", "-t", "30", "stop"]);
      } catch {
        await runner.run(pgCtl, ["-D", dataDir, "-m", "immediate", "-w", "-t", "30", "stop"]).catch(() => {
          const pid = postmasterPid(dataDir);
          try {
            if (pid && alive(pid)) process.kill(pid, "SIGKILL");
          } catch {
            // gone meanwhile
          }
        });
      }
      const watchdog = running.get(dataDir)?.watchdog;
      if (watchdog) killQuietly(-watchdog, "SIGKILL");
      running.delete(dataDir);
      await fs.promises.rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    })());

  // pg_ctl -w waits for the postmaster to report "ready"; confirm that it takes connections on TCP.
  const deadline = Date.now() + 30_000;
  while (!(await isReady(binDir, port))) {
    if (Date.now() > deadline) {
      const tail = logTail(dataDir);
      await stop().catch(() => {});
      throw new Error(`PostgreSQL started but does not accept connections on 127.0.0.1:${port}\n--- server log (tail) ---\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, dataDir, stop };
}
