import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { movies } from "@/lib/db/schema";
import { getEnv } from "@/lib/env";
import { getServingVersion } from "@/lib/mlops/registry";
import pkg from "@/package.json";
import { logError } from "@/lib/util/log";

export type Health = {
  status: "ok" | "error";
  db: "ok" | "unreachable";
  catalogSize: number | null;
  version: string;
};

/** Liveness: the process answers and the database can be queried. */
export async function checkHealth(): Promise<Health> {
  const version = getEnv().MATINEE_VERSION ?? pkg.version;
  try {
    const [row] = await getDb().select({ n: sql<number>`count(*)` }).from(movies);
    return { status: "ok", db: "ok", catalogSize: Number(row?.n ?? 0), version };
  } catch (err) {
    logError("health: database check failed", err);
    return { status: "error", db: "unreachable", catalogSize: null, version };
  }
}

export type Readiness = { ready: boolean; db: "ok" | "unreachable"; servingModelVersion: number | null; reason?: string };

/** Readiness: the database answers and a serving model version with a cache is loaded. */
export async function checkReadiness(): Promise<Readiness> {
  try {
    const version = await getServingVersion();
    if (!version) return { ready: false, db: "ok", servingModelVersion: null, reason: "no serving model yet (run npm run train)" };
    return { ready: true, db: "ok", servingModelVersion: version.id };
  } catch (err) {
    logError("readiness: check failed", err);
    return { ready: false, db: "unreachable", servingModelVersion: null, reason: "database unreachable" };
  }
}
