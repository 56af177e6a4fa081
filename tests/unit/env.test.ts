import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { EnvError, checkEnvAtStartup, envSchema, getAuthSecret, parseEnv, resetEnvForTests, selectsPostgres } from "@/lib/env";

describe("env", () => {
  afterEach(() => resetEnvForTests());

  it("applies defaults when nothing is set", () => {
    const env = parseEnv({});
    expect(env.DATABASE_PATH).toBe("data/matinee.db");
    expect(env.PORT).toBe(3000);
    expect(env.ADMIN_EMAILS).toEqual([]);
  });

  it("names the variable that is invalid", () => {
    expect(() => parseEnv({ PORT: "eighty" })).toThrow(EnvError);
    expect(() => parseEnv({ PORT: "70000" })).toThrow(/PORT/);
    expect(() => parseEnv({ TMDB_BASE_URL: "not a url" })).toThrow(/TMDB_BASE_URL/);
    // a URL, but not one tmdb-ts can fetch: refused at start, not at the first request
    for (const url of ["ftp://x", "file:///etc/passwd", "ws://127.0.0.1:8080/3"]) {
      expect(() => parseEnv({ TMDB_BASE_URL: url }), url).toThrow(/TMDB_BASE_URL: must be an http:\/\/ or https:\/\/ URL/);
    }
    expect(parseEnv({ TMDB_BASE_URL: "http://127.0.0.1:8080/3" }).TMDB_BASE_URL).toBe("http://127.0.0.1:8080/3");
    // next-auth would otherwise fail on it at the first sign-in, not at start
    expect(() => parseEnv({ AUTH_URL: "movies.example.com" })).toThrow(/AUTH_URL/);
    expect(parseEnv({ AUTH_URL: "https://movies.example.com" }).AUTH_URL).toBe("https://movies.example.com");
  });

  it("tells the dialect from DATABASE_URL alone, without throwing for another invalid variable", () => {
    const saved = { ...process.env };
    try {
      process.env.API_RATE_LIMIT = "abc";
      for (const [url, postgres] of [[undefined, false], ["", false], ["  ", false], ["postgres://u@h/db", true], ["mysql://x", true]] as const) {
        if (url === undefined) delete process.env.DATABASE_URL;
        else process.env.DATABASE_URL = url;
        resetEnvForTests();
        expect(selectsPostgres(), String(url)).toBe(postgres);
      }
      // With a valid environment it agrees with getEnv() (blank means unset there too).
      delete process.env.API_RATE_LIMIT;
      for (const url of ["", " ", "postgres://u@h/db"]) {
        process.env.DATABASE_URL = url;
        resetEnvForTests();
        expect(selectsPostgres(), url).toBe(parseEnv({ DATABASE_URL: url }).DATABASE_URL !== undefined);
      }
    } finally {
      process.env = saved;
    }
  });

  it("reads a blank variable (FOO= in a compose or env file) as unset: the default, never 0 or an error", () => {
    const blank = {
      DATABASE_POOL_SIZE: "",
      PORT: " ",
      DRIFT_THRESHOLD: "",
      API_RATE_LIMIT: "",
      RECOMMEND_MEMO_MB: "",
      RECOMMEND_ACCESS: "",
      JOB_COMPLETION_INDEX: "",
      MATINEE_TRAIN_BARRIER_MS: "",
      AUTH_SECRET: "",
      MATINEE_VERSION: "",
      TMDB_API_KEY: "",
      TMDB_BASE_URL: "",
    };
    const env = parseEnv(blank);
    const defaults = parseEnv({});
    for (const name of Object.keys(blank) as (keyof typeof blank)[]) expect(env[name], name).toEqual(defaults[name]);
    expect(env.API_RATE_LIMIT).toBe(1200);
    expect(env.DRIFT_THRESHOLD).toBe(0.2);
    expect(env.RECOMMEND_MEMO_MB).toBe(64);
    // an explicit 0 still turns the limit and the memo off
    expect(parseEnv({ API_RATE_LIMIT: "0", RECOMMEND_MEMO_MB: "0" })).toMatchObject({ API_RATE_LIMIT: 0, RECOMMEND_MEMO_MB: 0 });
    expect(() => parseEnv({ AUTH_SECRET: "short" })).toThrow(/AUTH_SECRET: must be at least 16 characters/);
    expect(env.RECOMMEND_ACCESS).toBe("public");
    expect(parseEnv({ RECOMMEND_ACCESS: "private" }).RECOMMEND_ACCESS).toBe("private");
    expect(() => parseEnv({ RECOMMEND_ACCESS: "secret" })).toThrow(/RECOMMEND_ACCESS: must be public or private/);
  });

  it("validates only what Matinee reads: a CI system's own CI=woodpecker does not stop every script", () => {
    expect(() => parseEnv({ CI: "woodpecker", MATINEE_QUIET: "on" })).not.toThrow();
  });

  it("stops the server at start with one line naming the variable (instrumentation.ts)", () => {
    const saved = { ...process.env };
    const fail = (line: string): never => {
      throw new Error(`exit: ${line}`);
    };
    try {
      process.env.API_RATE_LIMIT = "abc";
      process.env.PORT = "0";
      resetEnvForTests();
      expect(() => checkEnvAtStartup(fail)).toThrow(
        /^exit: error: invalid environment: PORT: must be at least 1; API_RATE_LIMIT: must be a number$/,
      );
      delete process.env.API_RATE_LIMIT;
      delete process.env.PORT;
      resetEnvForTests();
      expect(() => checkEnvAtStartup(fail)).not.toThrow();
      // a value that parses but cannot be used, from a check run after the parse
      const unusable = () => {
        throw new EnvError(["DATABASE_PATH: directory /nope does not exist"]);
      };
      expect(() => checkEnvAtStartup(fail, unusable)).toThrow(/^exit: error: invalid environment: DATABASE_PATH: directory \/nope does not exist$/);
    } finally {
      process.env = saved;
    }
  });

  it("every variable it reads is in the README's Configuration section, which names no other", () => {
    // was: the sharded-training variables were documented in docs/scale-out.md only
    const readme = readFileSync("README.md", "utf8");
    const section = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("\n## ", readme.indexOf("## Configuration") + 1));
    const named = new Set([...section.matchAll(/^\| (.+?) \|/gm)].flatMap((row) => [...row[1].matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1])));
    const read = Object.keys(envSchema.shape);
    for (const name of read) expect(section, name).toContain(`\`${name}\``);
    // a table row for a variable nothing reads would be a setting that does nothing
    for (const name of named) expect(read, name).toContain(name);
  });

  it("says what each variable must be in the field wording (README), with no empty choice", () => {
    const issues = (source: Record<string, string>) => {
      try {
        parseEnv(source);
        return [];
      } catch (err) {
        return (err as EnvError).issues;
      }
    };
    // blank is unset (off), but it is no choice to offer: the list ended "yes, no, " with it
    expect(issues({ DRIFT_AUTO_RETRAIN: "on" })).toEqual(["DRIFT_AUTO_RETRAIN: must be one of 0, 1, true, false, yes, no"]);
    expect(parseEnv({ DRIFT_AUTO_RETRAIN: "" }).DRIFT_AUTO_RETRAIN).toBe(false);
    expect(parseEnv({ DRIFT_AUTO_RETRAIN: " " }).DRIFT_AUTO_RETRAIN).toBe(false);
    expect(parseEnv({ DRIFT_AUTO_RETRAIN: "yes" }).DRIFT_AUTO_RETRAIN).toBe(true);
    expect(issues({ AUTH_URL: "movies" })).toEqual(["AUTH_URL: must be a URL such as https://movies.example.com"]);
    const validated = ["NODE_ENV", "DATABASE_URL", "DATABASE_POOL_SIZE", "PORT", "AUTH_SECRET", "AUTH_URL", "NEXTAUTH_URL", "TMDB_BASE_URL", "DRIFT_THRESHOLD", "DRIFT_AUTO_RETRAIN", "API_RATE_LIMIT", "RECOMMEND_ACCESS", "RECOMMEND_MEMO_MB", "JOB_COMPLETION_INDEX", "MATINEE_TRAIN_BARRIER_MS"];
    for (const name of validated) {
      for (const value of ["on", "-1", "1.5"]) {
        for (const issue of issues({ [name]: value })) expect(issue, `${name}=${value}`).toMatch(new RegExp(`^${name}: must [a-z0-9"][^,]*(, [^,\\s][^,]*)*$`));
      }
    }
  });

  it("parses ADMIN_EMAILS into a lower-cased list", () => {
    expect(parseEnv({ ADMIN_EMAILS: " A@x.io, b@y.io ,," }).ADMIN_EMAILS).toEqual(["a@x.io", "b@y.io"]);
  });

  it("is loud about a missing AUTH_SECRET in production only", () => {
    const saved = { ...process.env };
    try {
      (process.env as Record<string, string>).NODE_ENV = "production";
      delete process.env.AUTH_SECRET;
      resetEnvForTests();
      expect(() => getAuthSecret()).toThrow(/AUTH_SECRET/);
      (process.env as Record<string, string>).NODE_ENV = "development";
      resetEnvForTests();
      expect(getAuthSecret().length).toBeGreaterThanOrEqual(32);
      process.env.AUTH_SECRET = "s".repeat(40);
      resetEnvForTests();
      expect(getAuthSecret()).toBe("s".repeat(40));
    } finally {
      process.env = saved;
    }
  });
});
