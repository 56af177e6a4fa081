import type { TestProject } from "vitest/node";
import { migratePostgres } from "@/lib/db/postgres";
import { createDatabase, databaseUrl, psql } from "@/tests/helpers/pg-databases";
import { startPostgres } from "@/tests/helpers/pg-server";

// vitest globalSetup: one throw-away PostgreSQL server for the whole run (tests/helpers/pg-server.ts)
// with a migrated template database. Test files clone it (tests/helpers/pg-databases.ts):
//   const admin = inject("pgAdminUrl");
//   createDatabase(admin, name, inject("pgTemplate")); process.env.DATABASE_URL = databaseUrl(admin, name);
// The template is marked IS_TEMPLATE and closed to connections after migrating: CREATE DATABASE
// ... TEMPLATE fails while anyone is connected to the template.

declare module "vitest" {
  export interface ProvidedContext {
    /** postgres://postgres@127.0.0.1:PORT/postgres: the test server's admin database. */
    pgAdminUrl: string;
    /** Name of the migrated template database ("matinee_template"). */
    pgTemplate: string;
  }
}

const PG_TEMPLATE = "matinee_template";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  try {
    createDatabase(server.url, PG_TEMPLATE);
    await migratePostgres(databaseUrl(server.url, PG_TEMPLATE));
    psql(server.url, `ALTER DATABASE ${PG_TEMPLATE} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
  } catch (err) {
    await server.stop().catch(() => {});
    throw err;
  }
  project.provide("pgAdminUrl", server.url);
  project.provide("pgTemplate", PG_TEMPLATE);
  process.env.MATINEE_TEST_PG_URL = server.url; // for child processes (scripts, next start)
  return async () => {
    if (process.env.MATINEE_TEST_PG_URL === server.url) delete process.env.MATINEE_TEST_PG_URL;
    await server.stop();
  };
}
