import { selectsPostgres } from "@/lib/env";
import * as pg from "./schema.pg";
import * as sqlite from "./schema.sqlite";

// The tables every query imports. Queries are written once, against the SQLite table types; when
// DATABASE_URL names PostgreSQL the same names are bound to the PostgreSQL twins (schema.pg.ts),
// which have the same table and column names (a parity test checks it), so drizzle builds the
// same queries in the other dialect. The dialect is fixed per process at start-up. Only
// DATABASE_URL is looked at here: the rest of the environment is validated by getEnv() once the
// process runs, where a CLI reports an invalid variable in one line (runCli in lib/cli).
const tables = (selectsPostgres() ? pg : sqlite) as unknown as typeof sqlite;

export const {
  movies,
  genres,
  movieGenres,
  users,
  revokedSessions,
  interactions,
  jobs,
  crawlPages,
  modelVersions,
  itemNeighbors,
  recommendations,
  appState,
  apiKeys,
  rateLimits,
  modelEvents,
  experiments,
  experimentImpressions,
  experimentClicks,
  trainRuns,
  trainShards,
} = tables;

export {
  interactionKinds,
  interactionSources,
  jobKinds,
  jobStatuses,
  modelStatuses,
  modelStages,
  modelEventActions,
  experimentStatuses,
  experimentMetrics,
  experimentPromotions,
} from "./schema.sqlite";
export type {
  Movie,
  NewMovie,
  User,
  Interaction,
  NewInteraction,
  Job,
  ModelVersion,
  ApiKey,
  ModelEvent,
  ExperimentArm,
  ExperimentArmCounts,
  Experiment,
  ExperimentImpression,
  TrainRun,
  TrainShard,
} from "./schema.sqlite";
