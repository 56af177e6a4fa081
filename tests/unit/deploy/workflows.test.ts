import { describe, expect, it } from "vitest";
import { expectedImage, imageRepo, k8sResources, readJson, readText, readYaml } from "./manifests";
import { CHROMIUM_PATH } from "@/lib/bench/chromium";

const ci = readYaml(".github/workflows/ci.yml");
const retrain = readYaml(".github/workflows/retrain.yml");
const runs = (job: any) => (job.steps as any[]).filter((s) => s.run).map((s) => s.run as string);
const uses = (job: any) => (job.steps as any[]).filter((s) => s.uses).map((s) => s.uses as string);

describe("GitHub Actions", () => {
  it("tests every push and pull request with the README's test command after apt Chromium and npm ci", () => {
    expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push"]);
    expect(readText("README.md")).toMatch(/^npm test\s/m); // the README's quick-start test command
    const steps = runs(ci.jobs.test);
    const at = (cmd: RegExp) => steps.findIndex((s) => cmd.test(s));
    expect(at(/apt-get install .*chromium/)).toBeGreaterThan(-1);
    // the PostgreSQL suites need Debian's server binaries (they start their own server), as .ci/run installs them
    expect(at(/apt-get install .*postgresql/)).toBeGreaterThan(-1);
    expect(at(/^npm test$/)).toBeGreaterThan(at(/apt-get install .*postgresql/));
    expect(readText(".ci/run")).toMatch(/apt-get install .*postgresql/);
    expect(at(/^npm ci\b/)).toBeGreaterThan(at(/apt-get install .*chromium/));
    expect(at(/^npm test$/)).toBeGreaterThan(at(/^npm ci\b/));
    // Debian's /usr/bin/chromium is what playwright.config.ts launches.
    expect(ci.jobs.test.container).toMatch(/^node:20-bookworm/);
    expect(CHROMIUM_PATH).toBe("/usr/bin/chromium");
    expect(readText("playwright.config.ts")).toContain("executablePath: CHROMIUM_PATH");
  });

  it("builds and pushes the image to ghcr.io only for pushes to main, after the tests pass", () => {
    const job = ci.jobs.image;
    expect(job.needs).toBe("test");
    expect(job.if).toContain("refs/heads/main");
    expect(job.if).toContain("push");
    expect(job.permissions.packages).toBe("write");
    const build = job.steps.find((s: any) => String(s.uses).startsWith("docker/build-push-action@"));
    expect(build.with.push).toBe(true);
    expect(job.steps.find((s: any) => String(s.uses).startsWith("docker/login-action@")).with.registry).toBe("ghcr.io");
    expect(expectedImage()).toMatch(/^ghcr\.io\//);
    expect(uses(job)).toContain("docker/metadata-action@v5");
  });

  it("retrains on a schedule by POSTing /api/cron/retrain with the CRON_SECRET bearer", () => {
    expect(retrain.on.schedule[0].cron).toMatch(/^(\S+\s){4}\S+$/);
    const [script] = runs(retrain.jobs.retrain);
    expect(script).toContain("--request POST");
    expect(script).toContain('Authorization: Bearer ${CRON_SECRET}');
    expect(script).toContain("/api/cron/retrain");
    expect(retrain.jobs.retrain.steps[0].env.CRON_SECRET).toBe("${{ secrets.CRON_SECRET }}");
  });
});

describe("one image name everywhere", () => {
  it("compose, Kubernetes (and its kustomization), ECS and the workflow name the same image", () => {
    const k8s = k8sResources().get("Deployment/matinee").spec.template.spec.containers.find((c: any) => c.name === "matinee").image;
    const ecs = readJson("deploy/ecs/task-definition.json").containerDefinitions.find((c: any) => c.name === "matinee").image;
    const compose = readYaml("docker-compose.yml").services.matinee.image;
    const kustomize = readYaml("deploy/k8s/kustomization.yaml").images[0].name;
    const docs = readText("Dockerfile").match(/docker build -t (\S+)/)![1]!;
    const names = { k8s, ecs, compose, kustomize, docs };
    for (const [where, image] of Object.entries(names)) expect(imageRepo(image), where).toBe(expectedImage());
  });
});

describe("/api/cron/retrain", () => {
  it("is the one path every scheduler calls", () => {
    const vercel = readJson("vercel.json").crons[0].path;
    const k8s = readText("deploy/k8s/cronjob-retrain.yaml");
    expect(vercel).toBe("/api/cron/retrain");
    expect(k8s).toContain(vercel);
    expect(readText(".github/workflows/retrain.yml")).toContain(vercel);
  });

  it("answers POST (k8s, GitHub) and GET (Vercel cron sends GET)", () => {
    const source = readText("app/api/cron/retrain/route.ts");
    expect(source).toMatch(/export (const|async function) POST\b/);
    expect(source).toMatch(/export (const|async function) GET\b/);
  });
});
