import { randomBytes } from "node:crypto";
import { z } from "zod";
import "@/lib/validation/messages";

// The only reader of process.env. Everything else imports `env`.

/** The embedded default's SQLite file, relative to the working directory; its folder (data/) is created on first use. */
export const DEFAULT_DATABASE_PATH = "data/matinee.db";

// Unset and empty ("FOO=" in a compose file) both mean "not configured".
const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => v || undefined);

// A number, blank meaning "not configured" like the strings above: z.coerce alone reads "" as 0,
// which would silently turn API_RATE_LIMIT or RECOMMEND_MEMO_MB off and flag every drift check.
const num = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema);

// On or off; blank means unset (off), like the rest. Blank is not among the choices the message
// lists ("must be one of 1, 0, …"): it listed an empty one after "no, ".
const boolish = num(z.enum(["1", "0", "true", "false", "yes", "no"]).optional()).transform((v) => v === "1" || v === "true" || v === "yes");

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_PATH: z.string().min(1).default(DEFAULT_DATABASE_PATH),
  // postgres://user:pass@host:5432/db selects PostgreSQL (many app instances); unset: SQLite at DATABASE_PATH.
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, "must be a postgres:// or postgresql:// URL")
      .optional(),
  ),
  // Connections per app process to PostgreSQL.
  DATABASE_POOL_SIZE: num(z.coerce.number().int().min(1).max(200).default(10)),
  PORT: num(z.coerce.number().int().min(1).max(65535).default(3000)),
  AUTH_SECRET: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),
  // The app's public address for Auth.js (read by next-auth itself; checked here so a typo stops
  // the server at start). Unset: the address each request came to (lib/auth/route-handlers.ts).
  AUTH_URL: optionalString.pipe(z.url({ error: "must be a URL such as https://movies.example.com" }).optional()),
  NEXTAUTH_URL: optionalString.pipe(z.url({ error: "must be a URL such as https://movies.example.com" }).optional()), // the older name next-auth still reads
  // OAuth sign-in; each provider is enabled only when both its id and secret are set.
  AUTH_GITHUB_ID: optionalString,
  AUTH_GITHUB_SECRET: optionalString,
  AUTH_GOOGLE_ID: optionalString,
  AUTH_GOOGLE_SECRET: optionalString,
  TMDB_API_KEY: optionalString,
  // tmdb-ts fetches it: an ftp:// or file: URL passed z.url() and failed only at the first request
  TMDB_BASE_URL: optionalString.pipe(z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional()),
  ADMIN_EMAILS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? "")
        .split(",")
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    ),
  // Bearer token required by /api/metrics when set (Prometheus `authorization` config).
  METRICS_TOKEN: optionalString,
  // Bearer secret of /api/cron/retrain and /api/cron/drift (Vercel Cron sends `Authorization: Bearer $CRON_SECRET`).
  CRON_SECRET: optionalString,
  // Drift (PSI) above which the admin overview flags drift, and whether that queues a retrain.
  DRIFT_THRESHOLD: num(z.coerce.number().min(0).max(10).default(0.2)),
  DRIFT_AUTO_RETRAIN: boolish,
  // How many proxies in front append to X-Forwarded-For (an AWS ALB does): the client address is
  // that many entries from its right. Unset: the first entry (a proxy that overwrites the header).
  TRUSTED_PROXIES: num(z.coerce.number().int().min(1).max(10).optional()),
  // Public API requests per minute per client address (all instances together); 0 turns it off.
  API_RATE_LIMIT: num(z.coerce.number().int().min(0).max(1_000_000_000).default(1200)),
  // Who may read a user's recommendations through the API: anyone (public), or only an API key,
  // an admin and the user themself (private; lib/recs/access.ts).
  RECOMMEND_ACCESS: num(z.enum(["public", "private"]).default("public")),
  // Memory (MB, per instance) for finished top-k lists kept for repeat requests
  // (lib/recs/list-cache.ts); 0 turns the memo off.
  RECOMMEND_MEMO_MB: num(z.coerce.number().int().min(0).max(65_536).default(64)),
  MATINEE_VERSION: optionalString,
  // Days a finished job's log (its row's log text, its worker's output file) is kept (lib/jobs/retention.ts).
  JOB_LOG_DAYS: num(z.coerce.number().int().min(1).max(36_500).default(30)),
  // Sharded training (npm run train -- --shards N): the shard index a Kubernetes Indexed Job gives
  // each pod, and the run id all shards of one run share (the CLI's --shard / --run win).
  JOB_COMPLETION_INDEX: num(z.coerce.number().int().min(0).optional()),
  TRAIN_RUN_ID: optionalString,
  // How long a shard waits for the other shards' neighbour rows before failing the run.
  MATINEE_TRAIN_BARRIER_MS: num(z.coerce.number().int().min(100).default(3_600_000)),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(public readonly issues: string[]) {
    super(`Invalid environment:\n${issues.map((i) => `  - ${i}`).join("\n")}`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
    );
  }
  return result.data;
}

/**
 * Validate the environment when the server starts (instrumentation.ts): an invalid value stops
 * `next start` / the standalone server at once with the same one line the scripts print (exit 2),
 * instead of a server that answers every API request with a 500 and logs a stack trace for each.
 * `checks` run after it, each throwing an EnvError for a value that parses but cannot be used.
 */
export function checkEnvAtStartup(fail: (line: string) => never = exitWith2, ...checks: (() => void)[]): void {
  try {
    getEnv();
    for (const check of checks) check();
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    fail(`error: invalid environment: ${err.issues.join("; ").replace(/\s*\n\s*/g, " ")}`);
  }
}

function exitWith2(line: string): never {
  process.stderr.write(`${line}\n`);
  process.exit(2);
}

let cached: Env | undefined;

/** The validated environment, parsed once per process. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/**
 * Whether DATABASE_URL selects PostgreSQL, without validating the rest of the environment.
 * lib/db/schema.ts binds its tables while modules load, before a CLI's error handler (runCli) or
 * the app's route wrapper runs: an invalid variable thrown there would be a stack trace instead of
 * the one-line message getEnv() gives at first use. Agrees with getEnv() whenever that succeeds:
 * DATABASE_URL is set there exactly when it is non-blank here (blank means unset, see above).
 */
export function selectsPostgres(): boolean {
  return cached ? cached.DATABASE_URL !== undefined : Boolean(process.env.DATABASE_URL?.trim());
}

/** Test hook: re-read process.env (tests set DATABASE_PATH per file). */
export function resetEnvForTests(): void {
  cached = undefined;
}

let devSecret: string | undefined;

/**
 * AUTH_SECRET, loud in production when missing. `npm start` (scripts/start.ts) generates one
 * into the data directory so the quick start works with no env vars; outside production a
 * per-process random secret is used.
 */
export function getAuthSecret(): string {
  const env = getEnv();
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  if (env.NODE_ENV === "production") {
    throw new EnvError([
      "AUTH_SECRET: required in production (generate one with `openssl rand -base64 32`)",
    ]);
  }
  devSecret ??= randomBytes(32).toString("base64");
  return devSecret;
}

/** The environment for a child process (e.g. the Next server started by `npm start`). */
export function childProcessEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...extra };
}
