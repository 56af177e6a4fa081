import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { dockerInstructions, expectedImage, expectHealthProbes, exists, imageRepo, k8sResources, readText, readYaml, readYamlDocs, root } from "./manifests";

// The scale-out setup: Matinee on PostgreSQL with many replicas and sharded training Jobs
// (deploy/k8s/scale-out), the compose profile "postgres", and the train.cjs bundle they run.

const dir = "deploy/k8s/scale-out";
const kustomization = readYaml(`${dir}/kustomization.yaml`);

/** The manifests kustomization.yaml applies, keyed by kind/name (like k8sResources() for the base). */
const resources = new Map<string, any>();
for (const file of kustomization.resources as string[]) {
  for (const doc of readYamlDocs(path.join(dir, file))) resources.set(`${doc.kind}/${doc.metadata.name}`, doc);
}
const get = (key: string) => {
  const r = resources.get(key);
  if (!r) throw new Error(`${dir} has no ${key} in kustomization.yaml's resources`);
  return r;
};

const base = k8sResources();
const deployment = get("Deployment/matinee");
const pod = deployment.spec.template.spec;
const container = pod.containers.find((c: any) => c.name === "matinee");
const envOf = (c: any, name: string) => (c.env as any[]).find((e) => e.name === name);
const baseContainer = base.get("Deployment/matinee").spec.template.spec.containers.find((c: any) => c.name === "matinee");

// The orchestrator's files, mounted from the ConfigMap kustomize generates from train/.
const generator = (kustomization.configMapGenerator as any[]).find((g) => g.name === "matinee-train");
const trainFiles: Record<string, string> = Object.fromEntries((generator.files as string[]).map((f) => [path.basename(f), readText(path.join(dir, f))]));
const shardsJob = readYaml(`${dir}/train/job-shards.yaml`);
const finalizeJob = readYaml(`${dir}/train/job-finalize.yaml`);
const abortJob = readYaml(`${dir}/train/job-abort.yaml`);
const script = trainFiles["run.sh"]!;
const jobContainer = (job: any) => job.spec.template.spec.containers[0];
/** The value after a flag in a command array: --shards 4 → "4". */
const flag = (command: string[], name: string) => (command.includes(name) ? command[command.indexOf(name) + 1] : undefined);

const cron = get("CronJob/matinee-train");
const cronPod = cron.spec.jobTemplate.spec.template.spec;

describe("deploy/k8s/scale-out: the manifests", () => {
  it("every YAML file parses, and kustomization.yaml applies all but the secret example and the train/ templates", () => {
    const files = (fs.readdirSync(path.join(root, dir), { recursive: true }) as string[]).filter((f) => f.endsWith(".yaml")).sort();
    for (const f of files) expect(() => readYamlDocs(path.join(dir, f)), f).not.toThrow();
    const listed = [...kustomization.resources, ...generator.files.filter((f: string) => f.endsWith(".yaml")), "kustomization.yaml", "database-secret.example.yaml"];
    expect(listed.sort()).toEqual(files);
    expect(generator.files).toContain("train/run.sh");
    expect(kustomization.namespace).toBe("matinee");
  });

  it("is self-contained and leaves out the SQLite pieces: no PVC, no curl retrain CronJob, no DATABASE_PATH", () => {
    expect((kustomization.resources as string[]).every((r) => !r.startsWith(".."))).toBe(true);
    expect([...resources.keys()].filter((k) => k.startsWith("PersistentVolumeClaim/"))).toEqual([]);
    expect(resources.has("CronJob/matinee-retrain")).toBe(false);
    expect(get("ConfigMap/matinee-config").data).not.toHaveProperty("DATABASE_PATH");
  });

  it("keeps the files it shares with the SQLite base identical: Namespace, Service, Ingress, image", () => {
    for (const key of ["Namespace/matinee", "Service/matinee", "Ingress/matinee"]) expect(get(key), key).toEqual(base.get(key));
    expect(kustomization.images).toEqual(readYaml("deploy/k8s/kustomization.yaml").images);
    expect(imageRepo(container.image)).toBe(expectedImage());
  });

  it("runs 2+ replicas with RollingUpdate and no volume at all", () => {
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(deployment.spec.strategy.type).toBe("RollingUpdate");
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(pod.volumes).toBeUndefined();
    for (const c of pod.containers) expect(c.volumeMounts, c.name).toBeUndefined();
    expect(JSON.stringify(deployment)).not.toMatch(/persistentVolumeClaim|\/data\b/);
  });

  it("takes DATABASE_URL from the matinee-database Secret, whose example file exists with that key and no real credentials", () => {
    const ref = envOf(container, "DATABASE_URL").valueFrom.secretKeyRef;
    expect(ref).toEqual({ name: "matinee-database", key: "DATABASE_URL" });
    const example = readYamlDocs(`${dir}/database-secret.example.yaml`)[0];
    expect(example.kind).toBe("Secret");
    expect(example.metadata.name).toBe(ref.name);
    expect(Object.keys(example.stringData)).toEqual([ref.key]);
    const url = new URL(example.stringData[ref.key]);
    expect(url.protocol).toBe("postgres:");
    expect(url.password).toBe("change-me");
    expect(get("ConfigMap/matinee-config").data).not.toHaveProperty("DATABASE_URL");
  });

  it("runs the base's container but for DATABASE_URL, the /data mount and a preStop pause (no drift in image, env, probes, resources)", () => {
    const { volumeMounts: _baseMounts, ...baseRest } = baseContainer;
    const { lifecycle, ...rest } = container;
    expect({ ...rest, env: rest.env.filter((e: any) => e.name !== "DATABASE_URL") }).toEqual(baseRest);
    expect(lifecycle.preStop.exec.command).toEqual(["sleep", "5"]);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(5);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
  });

  it("probes routes that exist: liveness and startup /api/health, readiness /api/health/ready", () => {
    expectHealthProbes(container);
    expect(exists("app/api/health/route.ts")).toBe(true);
    expect(exists("app/api/health/ready/route.ts")).toBe(true);
  });

  it("agrees on the port: PORT env, containerPort, Service targetPort; the Service selects the Deployment's pods", () => {
    const port = Number(envOf(container, "PORT").value);
    const service = get("Service/matinee");
    const [svcPort] = service.spec.ports;
    const target = typeof svcPort.targetPort === "string" ? container.ports.find((p: any) => p.name === svcPort.targetPort)?.containerPort : svcPort.targetPort;
    expect(target).toBe(port);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
  });

  it("autoscales the Deployment on CPU with an HPA (min 2), which needs CPU requests; a PDB keeps one pod", () => {
    const hpa = get("HorizontalPodAutoscaler/matinee");
    expect(hpa.apiVersion).toBe("autoscaling/v2");
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.minReplicas).toBe(deployment.spec.replicas);
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
    const [metric] = hpa.spec.metrics;
    expect(metric).toMatchObject({ type: "Resource", resource: { name: "cpu", target: { type: "Utilization" } } });
    expect(container.resources.requests.cpu).toBeTruthy();
    const pdb = get("PodDisruptionBudget/matinee");
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(pdb.spec.minAvailable).toBeLessThan(hpa.spec.minReplicas);
  });

  it("budgets PostgreSQL connections: app pods and training pods set DATABASE_POOL_SIZE", () => {
    const appPool = Number(get("ConfigMap/matinee-config").data.DATABASE_POOL_SIZE);
    const trainPool = Number(envOf(jobContainer(shardsJob), "DATABASE_POOL_SIZE").value);
    const max = get("HorizontalPodAutoscaler/matinee").spec.maxReplicas;
    // Within PostgreSQL's default max_connections (100), with room for finalize and tools.
    expect(max * appPool + shardsJob.spec.parallelism * trainPool).toBeLessThanOrEqual(90);
  });
});

describe("deploy/k8s/scale-out: sharded training", () => {
  it("the shards run as an Indexed Job: completions = parallelism = --shards, train.cjs with --shards and --run", () => {
    expect(shardsJob.kind).toBe("Job");
    expect(shardsJob.spec.completionMode).toBe("Indexed");
    const command: string[] = jobContainer(shardsJob).command;
    expect(command.slice(0, 2)).toEqual(["node", "/app/train.cjs"]);
    const shards = Number(flag(command, "--shards"));
    expect(shards).toBeGreaterThanOrEqual(2);
    expect(shardsJob.spec.completions).toBe(shards);
    expect(shardsJob.spec.parallelism).toBe(shards);
    expect(flag(command, "--run")).toBe("$(TRAIN_RUN_ID)");
    // The shard index comes from JOB_COMPLETION_INDEX, which Kubernetes sets in Indexed Jobs.
    expect(command).not.toContain("--shard");
    expect(["Never", "OnFailure"]).toContain(shardsJob.spec.template.spec.restartPolicy);
  });

  it("finalize runs train.cjs --finalize with the same run id variable", () => {
    const command: string[] = jobContainer(finalizeJob).command;
    expect(command.slice(0, 2)).toEqual(["node", "/app/train.cjs"]);
    expect(command).toContain("--finalize");
    expect(flag(command, "--run")).toBe("$(TRAIN_RUN_ID)");
    expect(["Never", "OnFailure"]).toContain(finalizeJob.spec.template.spec.restartPolicy);
    expect(finalizeJob.spec.completionMode).not.toBe("Indexed");
  });

  it("abort runs train.cjs --abort with the same run id variable, once, not indexed", () => {
    const command: string[] = jobContainer(abortJob).command;
    expect(command.slice(0, 2)).toEqual(["node", "/app/train.cjs"]);
    expect(command).toContain("--abort");
    expect(command).not.toContain("--finalize");
    expect(flag(command, "--run")).toBe("$(TRAIN_RUN_ID)");
    expect(["Never", "OnFailure"]).toContain(abortJob.spec.template.spec.restartPolicy);
    expect(abortJob.spec.completionMode).not.toBe("Indexed");
    // run.sh waits for it no longer than its own deadline
    expect(script).toMatch(new RegExp(`^ABORT_TIMEOUT=${abortJob.spec.activeDeadlineSeconds}\\b`, "m"));
  });

  it("the Jobs get the run id and the image from the orchestrator, and the database like the app pods", () => {
    for (const job of [shardsJob, finalizeJob, abortJob]) {
      const c = jobContainer(job);
      expect(envOf(c, "TRAIN_RUN_ID").value).toBe("__RUN_ID__");
      expect(c.image).toBe("__IMAGE__");
      expect(job.metadata.name).toContain("__RUN_ID__");
      expect(envOf(c, "DATABASE_URL")).toEqual(envOf(container, "DATABASE_URL"));
      expect(job.spec.activeDeadlineSeconds).toBeGreaterThan(0);
      // Training pods must never receive the Service's traffic.
      const labels = job.spec.template.metadata.labels;
      const selector = get("Service/matinee").spec.selector;
      expect(Object.entries(selector).every(([k, v]) => labels[k] === v)).toBe(false);
    }
    expect(new Set([shardsJob, finalizeJob, abortJob].map((j) => j.metadata.name)).size).toBe(3);
  });

  it("the Dockerfile builds /app/train.cjs, which the Jobs run", () => {
    const build = dockerInstructions(readText("Dockerfile")).filter((i) => i.keyword === "RUN").map((i) => i.args).join("\n");
    expect(build).toContain("node deploy/docker/bundle-prepare.mjs .next/standalone/train.cjs scripts/train.ts");
    // .next/standalone becomes /app in the runtime stage (WORKDIR /app, COPY .../standalone ./).
    expect(readText("Dockerfile")).toMatch(/WORKDIR \/app\n(.*\n)*COPY --from=build .*\/app\/\.next\/standalone \.\/$/m);
    const bundler = readText("deploy/docker/bundle-prepare.mjs");
    expect(bundler).toMatch(/external: \[[^\]]*"better-sqlite3"[^\]]*\]/);
    expect(bundler).toMatch(/external: \[[^\]]*"pg-native"[^\]]*\]/);
  });

  it("scripts/train.ts accepts --shards, --shard, --run, --finalize and --abort (the CLI the Jobs call)", () => {
    const source = readText("scripts/train.ts");
    for (const name of ["shards", "shard", "run", "finalize", "abort"]) {
      expect(new RegExp(`--${name}\\b|\\b["']?${name}["']?\\s*:\\s*\\{`).test(source), `--${name}`).toBe(true);
    }
  });

  it("the orchestrator CronJob runs as a ServiceAccount bound to a Role that may create and follow jobs", () => {
    expect(cron.spec.concurrencyPolicy).toBe("Forbid");
    expect(cron.spec.jobTemplate.spec.backoffLimit).toBe(0);
    const account = cronPod.serviceAccountName;
    expect(resources.has(`ServiceAccount/${account}`)).toBe(true);
    const binding = [...resources.values()].find(
      (r) => r.kind === "RoleBinding" && r.subjects.some((s: any) => s.kind === "ServiceAccount" && s.name === account && s.namespace === kustomization.namespace),
    );
    expect(binding).toBeDefined();
    expect(binding.roleRef).toMatchObject({ apiGroup: "rbac.authorization.k8s.io", kind: "Role" });
    const role = get(`Role/${binding.roleRef.name}`);
    const jobs = role.rules.find((r: any) => r.apiGroups.includes("batch") && r.resources.includes("jobs"));
    for (const verb of ["create", "get", "watch"]) expect(jobs.verbs).toContain(verb);
    // Least privilege: nothing cluster-wide, no secrets, no delete.
    expect(JSON.stringify(role.rules)).not.toMatch(/secrets|delete|"\*"/);
    expect([...resources.keys()].some((k) => k.startsWith("ClusterRole"))).toBe(false);
  });

  it("the orchestrator pod runs train/run.sh from the generated ConfigMap", () => {
    const [c] = cronPod.containers;
    expect(c.image).toMatch(/kubectl/);
    const mount = c.volumeMounts.find((m: any) => c.command.at(-1).startsWith(`${m.mountPath}/`));
    expect(c.command.at(-1)).toBe(`${mount.mountPath}/run.sh`);
    const volume = cronPod.volumes.find((v: any) => v.name === mount.name);
    expect(volume.configMap.name).toBe(generator.name);
    expect(envOf(c, "NAMESPACE").valueFrom.fieldRef.fieldPath).toBe("metadata.namespace");
    expect(["Never", "OnFailure"]).toContain(cronPod.restartPolicy);
  });

  it("run.sh creates the Indexed Job, waits for it to complete, then creates the finalize Job and waits", () => {
    expect(script).toMatch(/^set -eu$/m);
    expect(script).toMatch(/kubectl --namespace "\$NAMESPACE"/);
    expect(script).toContain("wait --for=condition=complete");
    const at = (s: string) => script.indexOf(s);
    const order = ["render job-shards.yaml", 'wait_complete "$shards_job"', "render job-finalize.yaml", 'wait_complete "$finalize_job"'];
    for (const s of order) expect(at(s), s).toBeGreaterThan(-1);
    expect(order.map(at)).toEqual(order.map(at).sort((a, b) => a - b));
    for (const s of ['wait_complete "$shards_job"', 'wait_complete "$finalize_job"']) expect(script).toContain(`${s} "$`);
    expect(script).toMatch(/wait_complete "\$shards_job" "\$SHARDS_TIMEOUT" \|\| abort_run$/m);
    expect(script).toMatch(/wait_complete "\$finalize_job" "\$FINALIZE_TIMEOUT" \|\| abort_run$/m);
  });
});

// run.sh against a stand-in kubectl: logs every call, answers the Deployment's image, echoes the
// created Job's name, and reports the Job named in $STUB_FAIL as Failed.
describe("deploy/k8s/scale-out/train/run.sh, run with a stand-in kubectl", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "matinee-run-sh-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  fs.mkdirSync(path.join(tmp, "bin"));
  fs.writeFileSync(
    path.join(tmp, "bin/kubectl"),
    `#!/bin/sh
echo "$*" >> "$STUB_DIR/calls"
case "$*" in
  *"get deployment matinee "*) printf '%s' "$STUB_IMAGE" ;;
  *"create -f - -o name"*)
    n=$(ls "$STUB_DIR" | grep -c '^created-')
    cat > "$STUB_DIR/created-$n.yaml"
    printf 'job.batch/%s\\n' "$(sed -n 's/^  name: //p' "$STUB_DIR/created-$n.yaml" | head -1)" ;;
  *" wait "*) [ -n "$STUB_FAIL" ] && case "$*" in *"$STUB_FAIL") exit 1 ;; esac; exit 0 ;;
  *'type=="Failed"'*) [ -n "$STUB_FAIL" ] && case "$*" in *"$STUB_FAIL "*) printf True ;; esac; exit 0 ;;
  *" get "*) printf '{"failed":1}' ;;
esac
`,
    { mode: 0o755 },
  );

  const run = (name: string, env: Record<string, string>) => {
    const stub = path.join(tmp, name);
    fs.mkdirSync(stub);
    const result = spawnSync("sh", [path.join(root, dir, "train/run.sh")], {
      encoding: "utf8",
      env: {
        ...process.env,
        PATH: `${path.join(tmp, "bin")}:${process.env.PATH}`,
        TRAIN_RUN_ID: undefined, // undefined values are left out of the child's environment
        NAMESPACE: "matinee",
        STUB_DIR: stub,
        STUB_IMAGE: "ghcr.io/matinee/matinee:sha-abc1234",
        STUB_FAIL: "",
        ...env,
      },
    });
    const calls = fs.existsSync(path.join(stub, "calls")) ? fs.readFileSync(path.join(stub, "calls"), "utf8").trim().split("\n") : [];
    const created = fs.readdirSync(stub).filter((f) => f.startsWith("created-")).sort().map((f) => {
      const [doc] = parseAllDocuments(fs.readFileSync(path.join(stub, f), "utf8")) as any[];
      expect(doc.errors).toEqual([]);
      return doc.toJS();
    });
    return { ...result, calls, created };
  };

  it("creates the shards Job, waits, creates the finalize Job, waits; both with one run id and the serving image", () => {
    const r = run("ok", { TRAIN_RUN_ID: "train-20260101031700" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const kinds = r.calls.map((c) => c.replace(/^--namespace matinee /, "").split(" ").slice(0, 2).join(" "));
    expect(kinds).toEqual(["get deployment", "create -f", "wait --for=condition=complete", "create -f", "wait --for=condition=complete"]);
    expect(r.calls.every((c) => c.startsWith("--namespace matinee "))).toBe(true);
    const [shards, finalize] = r.created;
    expect(shards.spec.completionMode).toBe("Indexed");
    expect(jobContainer(finalize).command).toContain("--finalize");
    expect(r.calls[2]).toMatch(new RegExp(`job\\.batch/${shards.metadata.name}$`));
    expect(r.calls[4]).toMatch(new RegExp(`job\\.batch/${finalize.metadata.name}$`));
    for (const job of [shards, finalize]) {
      expect(envOf(jobContainer(job), "TRAIN_RUN_ID").value).toBe("train-20260101031700");
      expect(jobContainer(job).image).toBe("ghcr.io/matinee/matinee:sha-abc1234");
      expect(JSON.stringify(job)).not.toContain("__");
    }
  });

  it("makes up a run id from the time when TRAIN_RUN_ID is unset", () => {
    const r = run("default-id", {});
    expect(r.status).toBe(0);
    expect(envOf(jobContainer(r.created[0]), "TRAIN_RUN_ID").value).toMatch(/^train-\d{14}$/);
  });

  it("when a shard fails: never finalizes, marks the run failed with the abort Job (waiting for it), exits non-zero", () => {
    const r = run("fail", { TRAIN_RUN_ID: "train-x1", STUB_FAIL: "job.batch/matinee-train-x1" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("failed");
    const [shards, abort, ...more] = r.created;
    expect(more).toEqual([]);
    expect(shards.spec.completionMode).toBe("Indexed");
    expect(jobContainer(abort).command).toEqual(["node", "/app/train.cjs", "--abort", "--run", "$(TRAIN_RUN_ID)"]);
    expect(envOf(jobContainer(abort), "TRAIN_RUN_ID").value).toBe("train-x1");
    expect(jobContainer(abort).image).toBe("ghcr.io/matinee/matinee:sha-abc1234");
    expect(r.calls.at(-1)).toMatch(new RegExp(`wait --for=condition=complete --timeout=30s job\\.batch/${abort.metadata.name}$`));
    expect(r.stdout).toContain(`created job.batch/${abort.metadata.name}`);
  });

  it("when finalize fails: marks the run failed with the abort Job too, exits non-zero", () => {
    const r = run("fail-finalize", { TRAIN_RUN_ID: "train-x2", STUB_FAIL: "job.batch/matinee-train-x2-finalize" });
    expect(r.status).toBe(1);
    expect(r.created.map((job) => jobContainer(job).command.slice(2, 3))).toEqual([["--shards"], ["--finalize"], ["--abort"]]);
  });

  it("refuses a run id that cannot name a Job", () => {
    const r = run("bad-id", { TRAIN_RUN_ID: "Bad_Id" });
    expect(r.status).toBe(2);
    expect(r.calls).toEqual([]);
  });
});

// kubectl's built-in kustomize, where this machine has kubectl (no cluster is needed to render).
const kubectl = spawnSync("kubectl", ["version", "--client"], { encoding: "utf8" }).status === 0;

describe.runIf(kubectl)("deploy/k8s/scale-out rendered by `kubectl kustomize`", () => {
  it("renders exactly the listed resources plus the generated ConfigMap, which the CronJob mounts by its hashed name", () => {
    const out = spawnSync("kubectl", ["kustomize", path.join(root, dir)], { encoding: "utf8" });
    expect(out.status, out.stderr).toBe(0);
    const docs = parseAllDocuments(out.stdout).map((d: any) => d.toJS());
    const generated = docs.find((d: any) => d.kind === "ConfigMap" && d.metadata.name.startsWith(`${generator.name}-`));
    expect(generated).toBeDefined();
    expect(Object.keys(generated.data).sort()).toEqual(Object.keys(trainFiles).sort());
    expect(generated.data["run.sh"]).toBe(script);
    const keys = docs.filter((d: any) => d !== generated).map((d: any) => `${d.kind}/${d.metadata.name}`).sort();
    expect(keys).toEqual([...resources.keys()].sort());
    for (const d of docs) if (d.kind !== "Namespace") expect(d.metadata.namespace, `${d.kind}/${d.metadata.name}`).toBe("matinee");
    const renderedCron = docs.find((d: any) => d.kind === "CronJob");
    expect(renderedCron.spec.jobTemplate.spec.template.spec.volumes[0].configMap.name).toBe(generated.metadata.name);
  });
});

describe("docker-compose.yml: profile postgres", () => {
  const text = readText("docker-compose.yml");
  const compose = readYaml("docker-compose.yml");
  const services = compose.services as Record<string, any>;
  const inProfile = Object.entries(services).filter(([, s]) => (s.profiles ?? []).includes("postgres"));
  const postgres = services.postgres;
  const [appName, app] = inProfile.find(([, s]) => s.environment?.DATABASE_URL)!;

  it("has a postgres service in profile postgres, with a pg_isready healthcheck and a volume", () => {
    expect(postgres.profiles).toEqual(["postgres"]);
    expect(postgres.image).toMatch(/^postgres:16\b/);
    expect(postgres.healthcheck.test.join(" ")).toContain("pg_isready");
    expect(postgres.volumes).toContainEqual(expect.stringMatching(/^[a-z-]+:\/var\/lib\/postgresql\/data$/));
    expect(compose.volumes).toHaveProperty(postgres.volumes[0].split(":")[0]);
    expect(postgres.environment.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD\b/);
  });

  it("runs Matinee in that profile with DATABASE_URL at host postgres, after postgres is healthy, without a /data volume", () => {
    expect(appName).not.toBe("matinee");
    const url = new URL(app.environment.DATABASE_URL.replace("${POSTGRES_PASSWORD:-}", "secret"));
    expect(url.protocol).toBe("postgres:");
    expect(url.hostname).toBe("postgres");
    expect(url.port).toBe("5432");
    expect(decodeURIComponent(url.username)).toBe(postgres.environment.POSTGRES_USER);
    expect(url.pathname).toBe(`/${postgres.environment.POSTGRES_DB}`);
    expect(app.depends_on.postgres.condition).toBe("service_healthy");
    expect(app.volumes).toBeUndefined();
    expect(app.environment).not.toHaveProperty("DATABASE_PATH");
    expect(app.build).toBe(".");
    expect(imageRepo(app.image)).toBe(expectedImage());
  });

  it("runs 2+ replicas of it, each with a host port, all sharing one AUTH_SECRET", () => {
    const replicas = app.deploy?.replicas ?? 1;
    expect(replicas).toBeGreaterThanOrEqual(2);
    const [ports] = app.ports as string[];
    const [, from, to, container] = ports!.match(/^(\d+)-(\d+):(\d+)$/)!;
    expect(Number(to) - Number(from) + 1).toBeGreaterThanOrEqual(replicas);
    expect(container).toBe(app.environment.PORT);
    // The entrypoint's fallback would generate one AUTH_SECRET per container: refuse instead.
    const entrypoint = (app.entrypoint as string[]).join(" ");
    expect(entrypoint).toContain('[ -z "$${AUTH_SECRET:-}" ]');
    expect(entrypoint).toMatch(/exec sh \/app\/docker-entrypoint\.sh$/);
    expect(readText("Dockerfile")).toContain('ENTRYPOINT ["sh", "/app/docker-entrypoint.sh"]');
  });

  it("keeps the plain `docker compose up` working: no required ${VAR:?} (compose interpolates every profile), the default services have no profile", () => {
    const code = text.split("\n").filter((line) => !line.trim().startsWith("#")).join("\n");
    expect(code).not.toMatch(/\$\{[A-Z_]+:?\?/);
    for (const name of ["matinee", "prometheus", "grafana"]) expect(services[name].profiles, name).toBeUndefined();
    expect(text).toContain("docker compose --profile postgres up --build");
  });
});
