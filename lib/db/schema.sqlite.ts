import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

// All timestamps are integer milliseconds since the epoch (portable to PostgreSQL bigint).
const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

export const movies = sqliteTable(
  "movies",
  {
    id: integer("id").primaryKey(), // the TMDB id
    title: text("title").notNull(),
    originalTitle: text("original_title"),
    originalLanguage: text("original_language"),
    releaseDate: text("release_date"), // ISO yyyy-mm-dd
    year: integer("year"),
    runtime: integer("runtime"),
    popularity: real("popularity").notNull().default(0),
    voteAverage: real("vote_average").notNull().default(0),
    voteCount: integer("vote_count").notNull().default(0),
    posterPath: text("poster_path"),
    // title and original title folded for search (lib/catalog/search-text.ts); '' until filled
    searchText: text("search_text").notNull().default(""),
    // true for items created by `import --create-missing` before their facts are crawled
    placeholder: integer("placeholder", { mode: "boolean" }).notNull().default(false),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [
    index("movies_popularity_idx").on(t.popularity),
    index("movies_year_idx").on(t.year),
    index("movies_title_idx").on(t.title),
    // the title sort (folded: case and accents do not reorder titles)
    index("movies_search_text_idx").on(t.searchText),
  ],
);

export const genres = sqliteTable("genres", {
  id: integer("id").primaryKey(), // TMDB genre id
  name: text("name").notNull(),
});

export const movieGenres = sqliteTable(
  "movie_genres",
  {
    movieId: integer("movie_id")
      .notNull()
      .references(() => movies.id, { onDelete: "cascade" }),
    genreId: integer("genre_id")
      .notNull()
      .references(() => genres.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.movieId, t.genreId] }), index("movie_genres_genre_idx").on(t.genreId)],
);

export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email"),
    name: text("name"),
    passwordHash: text("password_hash"),
    role: text("role", { enum: ["user", "admin"] }).notNull().default("user"),
    source: text("source", { enum: ["app", "simulated", "imported"] }).notNull().default("app"),
    // stable id from the outside world, e.g. "sim:42" or "ml:610", so re-runs do not duplicate users
    externalId: text("external_id"),
    // Sessions carry the version they were signed in at; a password change moves it on, which
    // signs out every other session of the account (lib/auth/config.ts).
    sessionVersion: integer("session_version").notNull().default(0),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("users_email_uq").on(t.email), uniqueIndex("users_external_id_uq").on(t.externalId)],
);

// Sessions signed out, by the id each session carries from its sign-in (`sid`), kept until the
// session would have expired: a copy of a signed-out session's cookie is refused
// (lib/auth/session.ts). Deleting the account deletes them.
export const revokedSessions = sqliteTable(
  "revoked_sessions",
  {
    sid: text("sid").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at").notNull(),
  },
  // expires_at: pruning the expired ones at each sign-out deletes a range instead of scanning
  (t) => [index("revoked_sessions_expires_idx").on(t.expiresAt)],
);

export const interactionKinds = ["rating", "watch", "like", "watchlist"] as const;
export const interactionSources = ["app", "api", "simulated", "imported"] as const;

// One row per (user, movie, kind): the latest state of that signal. Re-imports and re-ratings
// update in place instead of duplicating.
export const interactions = sqliteTable(
  "interactions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    movieId: integer("movie_id")
      .notNull()
      .references(() => movies.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: interactionKinds }).notNull(),
    value: real("value"), // rating 0.5–5; 1/0 for like and watchlist
    watchSeconds: integer("watch_seconds"),
    source: text("source", { enum: interactionSources }).notNull().default("app"),
    createdAt: integer("created_at").notNull().default(now),
    /**
     * The id the row took when something training reads of it (its time, or whether a like or a
     * watchlist entry is on) last changed; null while that is its current id. A change to nothing
     * training reads (a rating's stars, a watch's seconds) gives the row a new id, so serving folds
     * the user in, but keeps this: it is not new data to drift or the retrain check
     * (lib/mlops/new-data.ts).
     */
    trainingId: integer("training_id"),
  },
  (t) => [
    uniqueIndex("interactions_user_movie_kind_uq").on(t.userId, t.movieId, t.kind),
    index("interactions_movie_idx").on(t.movieId),
    index("interactions_created_idx").on(t.createdAt),
    // serving's "did this user act after training?" check reads only this index
    index("interactions_user_created_idx").on(t.userId, t.createdAt),
  ],
);

export const jobKinds = ["crawl", "simulate", "import", "train"] as const;
export const jobStatuses = ["queued", "running", "succeeded", "failed", "cancelled"] as const;

export const jobs = sqliteTable(
  "jobs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: jobKinds }).notNull(),
    status: text("status", { enum: jobStatuses }).notNull().default("queued"),
    params: text("params", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    progress: real("progress").notNull().default(0), // 0..1
    message: text("message"),
    stats: text("stats", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    log: text("log").notNull().default(""),
    error: text("error"),
    createdAt: integer("created_at").notNull().default(now),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
    heartbeatAt: integer("heartbeat_at"),
    // the process running the job, so a killed run is recognised at once on the same host
    workerPid: integer("worker_pid"),
    workerHost: text("worker_host"),
  },
  (t) => [index("jobs_kind_status_idx").on(t.kind, t.status)],
);

// Resume state for a crawl: the pages completed for one (region, language) crawl key.
export const crawlPages = sqliteTable(
  "crawl_pages",
  {
    crawlKey: text("crawl_key").notNull(),
    page: integer("page").notNull(),
    jobId: integer("job_id").references(() => jobs.id, { onDelete: "set null" }),
    movieCount: integer("movie_count").notNull().default(0),
    completedAt: integer("completed_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.crawlKey, t.page] })],
);

export const modelStatuses = ["training", "ready", "failed"] as const;
export const modelStages = ["candidate", "production", "archived"] as const;

export const modelVersions = sqliteTable("model_versions", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  algorithm: text("algorithm").notNull(),
  params: text("params", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
  metrics: text("metrics", { mode: "json" }).$type<Record<string, number>>().notNull().default({}),
  snapshot: text("snapshot", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
  status: text("status", { enum: modelStatuses }).notNull().default("training"),
  stage: text("stage", { enum: modelStages }).notNull().default("candidate"),
  jobId: integer("job_id").references(() => jobs.id, { onDelete: "set null" }),
  codeVersion: text("code_version"),
  durationMs: integer("duration_ms"),
  createdAt: integer("created_at").notNull().default(now),
  finishedAt: integer("finished_at"),
});

// Top-K similar movies per movie for one model version.
export const itemNeighbors = sqliteTable(
  "item_neighbors",
  {
    modelVersionId: integer("model_version_id")
      .notNull()
      .references(() => modelVersions.id, { onDelete: "cascade" }),
    movieId: integer("movie_id").notNull(),
    rank: integer("rank").notNull(),
    neighborId: integer("neighbor_id").notNull(),
    score: real("score").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.modelVersionId, t.movieId, t.rank] }),
    // fold-in looks up "which movies have this history item among their neighbours"
    index("item_neighbors_neighbor_idx").on(t.modelVersionId, t.neighborId),
  ],
);

// Precomputed top-N per user for one model version, with the anchor item that explains each pick.
export const recommendations = sqliteTable(
  "recommendations",
  {
    modelVersionId: integer("model_version_id")
      .notNull()
      .references(() => modelVersions.id, { onDelete: "cascade" }),
    userId: integer("user_id").notNull(),
    rank: integer("rank").notNull(),
    movieId: integer("movie_id").notNull(),
    score: real("score").notNull(),
    anchorMovieId: integer("anchor_movie_id"),
  },
  (t) => [primaryKey({ columns: [t.modelVersionId, t.userId, t.rank] })],
);

// Small shared key/value state, e.g. which model version serves. Lives in the database so every
// app instance sees the same value.
export const appState = sqliteTable("app_state", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: integer("updated_at").notNull().default(now),
});

export type Movie = typeof movies.$inferSelect;
export type NewMovie = typeof movies.$inferInsert;
export type User = typeof users.$inferSelect;
export type Interaction = typeof interactions.$inferSelect;
export type NewInteraction = typeof interactions.$inferInsert;
export type Job = typeof jobs.$inferSelect;
export type ModelVersion = typeof modelVersions.$inferSelect;

// API keys for machine consumers. Only a SHA-256 hash of the key is stored; `prefix` (the first
// characters) lets an admin recognise a key in the list.
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull().default(now),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_hash_uq").on(t.keyHash)],
);

// Fixed-window rate-limit counters, in the database so every app instance shares them.
export const rateLimits = sqliteTable(
  "rate_limits",
  {
    key: text("key").notNull(),
    windowStart: integer("window_start").notNull(),
    count: integer("count").notNull().default(0),
  },
  // window_start: pruning expired windows (every 10 minutes) deletes a range instead of scanning
  (t) => [primaryKey({ columns: [t.key, t.windowStart] }), index("rate_limits_window_idx").on(t.windowStart)],
);

export type ApiKey = typeof apiKeys.$inferSelect;

// Audit trail of serving switches made by people (admin UI, `scripts/models.ts`) and by admin-run
// training jobs: which version started serving, which one it replaced, who did it and when.
export const modelEventActions = ["promote", "rollback"] as const;

export const modelEvents = sqliteTable(
  "model_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    modelVersionId: integer("model_version_id")
      .notNull()
      .references(() => modelVersions.id, { onDelete: "cascade" }),
    action: text("action", { enum: modelEventActions }).notNull(),
    // the version that served before this switch (null when nothing served)
    fromVersionId: integer("from_version_id").references(() => modelVersions.id, { onDelete: "set null" }),
    actorUserId: integer("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    // who, readable even after the account is gone: an email, "cli:<os user>", "job #12"
    actorLabel: text("actor_label").notNull(),
    at: integer("at").notNull().default(now),
  },
  (t) => [index("model_events_version_idx").on(t.modelVersionId), index("model_events_at_idx").on(t.at)],
);

export type ModelEvent = typeof modelEvents.$inferSelect;

// A/B experiments (lib/experiments): arms serve different ready model versions to a deterministic
// share of users. At most one experiment runs at a time (the partial unique index), so serving
// needs a single cached lookup. `arms` is fixed at creation: changing a split mid-experiment
// would move users between arms and mix their outcomes.
export const experimentStatuses = ["running", "stopped"] as const;
export const experimentMetrics = ["ctr", "watch_rate"] as const;
// what a stop-and-promote did: switched serving to the arm's version, or found it serving already
export const experimentPromotions = ["switched", "already_serving"] as const;
export type ExperimentArm = { key: string; versionId: number; weight: number };
/** One arm's attributed outcomes, the counts the report and its verdict are computed from. */
export type ExperimentArmCounts = {
  arm: string;
  /** Impression rows: every time a movie was in a response. */
  impressions: number;
  /** Distinct (user, movie) pairs shown: the unit the rates are computed over. */
  pairs: number;
  users: number;
  clicks: number;
  watches: number;
  ratings: number;
  ratingSum: number;
};

export const experiments = sqliteTable(
  "experiments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    status: text("status", { enum: experimentStatuses }).notNull().default("running"),
    // the metric decided on before the data came in; the winner is judged on it
    primaryMetric: text("primary_metric", { enum: experimentMetrics }).notNull().default("watch_rate"),
    // first arm = control; weights are percentages summing to 100
    arms: text("arms", { mode: "json" }).$type<ExperimentArm[]>().notNull(),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdByLabel: text("created_by_label").notNull(),
    startedAt: integer("started_at").notNull().default(now),
    stoppedAt: integer("stopped_at"),
    stoppedByLabel: text("stopped_by_label"),
    // the arm promoted when stopping (null: stopped without promoting)
    winnerArm: text("winner_arm"),
    // with a winner: whether serving was switched to it (null: no winner, or stopped before this was kept)
    promotion: text("promotion", { enum: experimentPromotions }),
    // the per-arm counts at the stop, written with it: the report of a stopped experiment reads
    // these, not the interactions a later simulation or import rewrites (null: running, or
    // stopped before snapshots were kept, whose report is still computed live)
    finalCounts: text("final_counts", { mode: "json" }).$type<ExperimentArmCounts[]>(),
  },
  (t) => [uniqueIndex("experiments_one_running_uq").on(t.status).where(sql`${t.status} = 'running'`)],
);

// One row per recommended movie per response served to a user in an experiment arm. No foreign
// keys on user/movie: the insert sits on the serving path and must stay a single cheap statement.
export const experimentImpressions = sqliteTable(
  "experiment_impressions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    experimentId: integer("experiment_id")
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    arm: text("arm").notNull(),
    userId: integer("user_id").notNull(),
    movieId: integer("movie_id").notNull(),
    rank: integer("rank").notNull(),
    modelVersionId: integer("model_version_id").notNull(),
    source: text("source", { enum: ["model", "folded_in"] }).notNull(),
    surface: text("surface", { enum: ["api", "home", "simulated"] }).notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("experiment_impressions_pair_idx").on(t.experimentId, t.userId, t.movieId, t.createdAt)],
);

// The first time a user opened a movie they were shown in an experiment (later opens add nothing).
export const experimentClicks = sqliteTable(
  "experiment_clicks",
  {
    experimentId: integer("experiment_id")
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    arm: text("arm").notNull(),
    userId: integer("user_id").notNull(),
    movieId: integer("movie_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.userId, t.movieId] })],
);

export type Experiment = typeof experiments.$inferSelect;
export type ExperimentImpression = typeof experimentImpressions.$inferInsert;

// Sharded training (lib/recs/shards.ts): one row per run, shared by its shard processes, which
// all write into the run's model version; one row per shard as it finishes each phase. The
// finalize step switches serving only when every shard is done on the same data.
export const trainRuns = sqliteTable("train_runs", {
  id: text("id").primaryKey(), // the operator's run id, e.g. the Kubernetes Job name
  modelVersionId: integer("model_version_id")
    .notNull()
    .references(() => modelVersions.id, { onDelete: "cascade" }),
  shards: integer("shards").notNull(),
  // model, params, cache sizes, seed: every shard must be started with the same ones
  config: text("config", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  status: text("status", { enum: ["running", "finalized", "failed"] }).notNull().default("running"),
  createdAt: integer("created_at").notNull().default(now),
  finishedAt: integer("finished_at"),
  // why a failed run failed: a shard's error at finalize, --abort, or the sweep of an abandoned run
  error: text("error"),
});

export const trainShards = sqliteTable(
  "train_shards",
  {
    runId: text("run_id")
      .notNull()
      .references(() => trainRuns.id, { onDelete: "cascade" }),
    shard: integer("shard").notNull(),
    // running: started (a retry: its earlier rows are being replaced); neighbors: its item range's
    // neighbour rows are written; done: its users' recommendations too
    phase: text("phase", { enum: ["running", "neighbors", "done", "failed"] }).notNull(),
    // checksum of the interactions the shard trained on: finalize refuses a run whose shards differ
    dataChecksum: text("data_checksum").notNull(),
    stats: text("stats", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    error: text("error"),
    updatedAt: integer("updated_at").notNull().default(now),
    // the process working on the shard (the latest attempt): alive while its process is, on this
    // host, or while its heartbeat (every 10 s, from a thread of its own) is fresh elsewhere; a run
    // none of whose shards is alive, and not every shard done, is abandoned (lib/mlops/registry.ts)
    workerPid: integer("worker_pid"),
    workerHost: text("worker_host"),
    startedAt: integer("started_at"),
    heartbeatAt: integer("heartbeat_at"),
  },
  (t) => [primaryKey({ columns: [t.runId, t.shard] })],
);

export type TrainRun = typeof trainRuns.$inferSelect;
export type TrainShard = typeof trainShards.$inferSelect;
