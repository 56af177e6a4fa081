// Scripts read the same .env files as `next start` does for the server (.env, .env.local,
// .env.production[.local], from the working directory, never overriding a variable already set),
// so `npm start`'s prepare step and its server, and every other script, see one configuration.
// lib/cli imports this module first, and every script imports lib/cli before other modules of ours:
// it runs before anything reads the environment (lib/db picks its dialect while modules load).
// Not under vitest: a developer's .env must not reach the tests.
import { loadEnvConfig } from "@next/env";

if (!process.env.VITEST) loadEnvConfig(process.cwd(), false, { info: () => {}, error: (...args: unknown[]) => console.error(...args) });
