// ESLint 9 flat config: Next's core-web-vitals and TypeScript configs over the whole repo
// (app, lib, components, scripts, tests and the root configs). `npm run lint`; `npm test` runs it first.
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      // `const { key: _key, ...rest } = obj` drops a property on purpose (lib/mlops/runs.ts, lib/simulate/run.ts, ...).
      "@typescript-eslint/no-unused-vars": [
        "warn",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ["**/*.cjs"],
    // CommonJS files (a `node --require` preload in tests/reliability/fixtures) load with require().
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["tests/**"],
    rules: {
      // Tests read untyped JSON bodies and YAML/JSON deploy manifests and assert on their shape at run time.
      "@typescript-eslint/no-explicit-any": "off",
      // tests/ has no React hooks: useTempDb/useTrainedDb are vitest fixtures (a temp database per test).
      "react-hooks/rules-of-hooks": "off",
    },
  },
  // Build output, test output and generated files.
  globalIgnores([
    ".next/**",
    "out/**",
    "build/**",
    "coverage/**",
    "test-results/**",
    "playwright-report/**",
    "data/**",
    "tmp/**",
    "drizzle/**",
    "next-env.d.ts",
    "**/*.tsbuildinfo",
  ]),
]);
