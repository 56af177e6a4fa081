import { execFileSync } from "node:child_process";
import path from "node:path";
import { validate, ValidationSeverity } from "dockerfile-utils";
import { describe, expect, it } from "vitest";
import { dockerInstructions, exists, readText, root, routeFile } from "./manifests";

const dockerfile = readText("Dockerfile");
const instructions = dockerInstructions(dockerfile);
const stages = instructions.filter((i) => i.keyword === "FROM").map((i) => i.args);
// Instructions of the last stage: what the shipped image is made of.
const lastFrom = instructions.map((i) => i.keyword).lastIndexOf("FROM");
const runtime = instructions.slice(lastFrom);
const runtimeArgs = (keyword: string) => runtime.filter((i) => i.keyword === keyword).map((i) => i.args);

describe("Dockerfile", () => {
  it("lints clean with dockerfile-utils, every rule raised to an error", () => {
    const strict = {
      deprecatedMaintainer: ValidationSeverity.ERROR,
      directiveCasing: ValidationSeverity.ERROR,
      emptyContinuationLine: ValidationSeverity.ERROR,
      instructionCasing: ValidationSeverity.ERROR,
      instructionCmdMultiple: ValidationSeverity.ERROR,
      instructionEntrypointMultiple: ValidationSeverity.ERROR,
      instructionHealthcheckMultiple: ValidationSeverity.ERROR,
      instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
      instructionWorkdirRelative: ValidationSeverity.ERROR,
    };
    const problems = validate(dockerfile, strict).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
    expect(problems).toEqual([]);
  });

  it("is multi-stage: a deps stage with the native toolchain and npm ci, a build stage, a slim runtime", () => {
    expect(stages.map((s) => s.split(/\s+AS\s+/i)[1])).toEqual(["deps", "build", "runtime"]);
    const deps = dockerfile.slice(0, dockerfile.indexOf("AS build"));
    for (const tool of ["python3", "make", "g++", "npm ci"]) expect(deps).toContain(tool);
    expect(stages.at(-1)).toMatch(/^node:20-[a-z]+-slim AS runtime$/);
    // better-sqlite3 is compiled in deps and loaded in runtime: same Node major and Debian release.
    const bases = new Set(stages.map((s) => s.split(/\s+/)[0]));
    expect(bases.size).toBe(1);
  });

  it("builds the standalone server and ships it with static assets, public/, the prepare bundle and the entrypoint", () => {
    const build = instructions.filter((i) => i.keyword === "RUN").map((i) => i.args).join("\n");
    // next.config.ts asks for the standalone output only when told to (see tests/unit/deploy/next-config.test.ts)
    expect(build).toContain("MATINEE_STANDALONE=1 node_modules/.bin/next build");
    expect(build).toContain("node deploy/docker/bundle-prepare.mjs .next/standalone/prepare.cjs");
    // The other bundles: the background-job worker, and the training CLI of the sharded Jobs.
    expect(build).toContain("node deploy/docker/bundle-prepare.mjs .next/standalone/worker.cjs scripts/worker.ts");
    expect(build).toContain("node deploy/docker/bundle-prepare.mjs .next/standalone/train.cjs scripts/train.ts");
    expect(build).toContain("cp -R .next/static .next/standalone/.next/static");
    expect(build).toContain("cp -R public .next/standalone/public");
    expect(build).toContain("cp scripts/docker-entrypoint.sh .next/standalone/docker-entrypoint.sh");
    expect(runtimeArgs("COPY")).toContainEqual(expect.stringMatching(/--from=build .*\/app\/\.next\/standalone \.\/$/));
    expect(exists("deploy/docker/bundle-prepare.mjs")).toBe(true);
    expect(exists("scripts/docker-entrypoint.sh")).toBe(true);
  });

  it("runs as a non-root user", () => {
    const users = runtimeArgs("USER");
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
  });

  it("keeps the database on a /data volume", () => {
    expect(runtimeArgs("VOLUME").join(" ")).toContain("/data");
    expect(runtimeArgs("ENV").join(" ")).toMatch(/DATABASE_PATH=\/data\/matinee\.db/);
  });

  it("binds every interface on PORT 3000 and exposes it", () => {
    const env = runtimeArgs("ENV").join(" ");
    expect(env).toMatch(/PORT=3000/);
    expect(env).toMatch(/HOSTNAME=0\.0\.0\.0/);
    expect(runtimeArgs("EXPOSE")).toEqual(["3000"]);
  });

  it("health-checks /api/health, a route that exists", () => {
    const [healthcheck] = runtimeArgs("HEALTHCHECK");
    expect(healthcheck).toContain("/api/health'");
    expect(exists(routeFile("/api/health"))).toBe(true);
  });

  it("starts through the entrypoint, which prepares the database and then execs the standalone server", () => {
    expect(runtimeArgs("ENTRYPOINT")).toEqual(['["sh", "/app/docker-entrypoint.sh"]']);
    const entry = readText("scripts/docker-entrypoint.sh");
    const prepare = entry.indexOf("node prepare.cjs");
    const serve = entry.indexOf("exec node server.js");
    expect(prepare).toBeGreaterThan(-1);
    expect(serve).toBeGreaterThan(prepare);
    expect(entry).toMatch(/^set -eu$/m); // a failed prepare stops the container instead of serving
  });
});

describe(".dockerignore", () => {
  const lines = readText(".dockerignore").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));

  it("keeps host artefacts, local databases and secrets out of the build context", () => {
    for (const pattern of ["node_modules", ".next", "data", "**/*.db", "**/.env", "**/.env.*", ".git"]) expect(lines).toContain(pattern);
  });

  it("holds every module a source in the context imports: next build type-checks all of them", () => {
    // As Docker reads it: a pattern excludes a path or any of its parents, the last match wins, "!" re-includes.
    const rules = lines.map((l) => {
      const negated = l.startsWith("!");
      const glob = (negated ? l.slice(1) : l).replace(/^\/+/, "");
      const source = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*\*\/|\*\*|\*|\?/g, (t) => (t === "**/" ? "(.*/)?" : t === "**" ? ".*" : t === "*" ? "[^/]*" : "[^/]"));
      return { negated, re: new RegExp(`^${source}$`) };
    });
    const inContext = (file: string) => {
      const parts = file.split("/");
      const paths = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
      let included = true;
      for (const r of rules) if (paths.some((p) => r.re.test(p))) included = r.negated;
      return included;
    };
    const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean);
    const context = files.filter((f) => exists(f) && inContext(f));
    const missing: string[] = [];
    for (const file of context.filter((f) => /\.tsx?$/.test(f))) {
      for (const [, spec] of readText(file).matchAll(/from "((?:@\/|\.\.?\/)[^"]+)"/g)) {
        const target = spec.startsWith("@/") ? spec.slice(2) : path.posix.join(path.posix.dirname(file), spec);
        const candidates = [target, `${target}.ts`, `${target}.tsx`, `${target}/index.ts`];
        if (!candidates.some((c) => context.includes(c))) missing.push(`${file} imports ${spec}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("keeps what the build needs in it", () => {
    // Patterns that would drop a needed path: the path itself or one of its parents, unless re-included.
    const needed = ["package.json", "package-lock.json", "drizzle", "drizzle/seed/tmdb-catalog.json", "scripts/docker-entrypoint.sh", "scripts/prepare.ts", "deploy/docker/bundle-prepare.mjs", "lib", "app", "next.config.ts", "proxy.ts", "instrumentation.ts"];
    for (const file of needed) {
      const parts = file.split("/");
      const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
      const excludedBy = lines.filter((l) => !l.startsWith("!") && prefixes.includes(l));
      const reincluded = lines.some((l) => l.startsWith("!") && prefixes.includes(l.slice(1)));
      expect(excludedBy.length === 0 || reincluded, `${file} excluded by ${excludedBy.join(", ")}`).toBe(true);
    }
  });
});
