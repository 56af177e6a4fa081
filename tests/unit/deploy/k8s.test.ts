import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectHealthProbes, k8sResources, readYamlDocs, root } from "./manifests";

const resources = k8sResources();
const get = (key: string) => {
  const r = resources.get(key);
  if (!r) throw new Error(`deploy/k8s has no ${key} in kustomization.yaml's resources`);
  return r;
};
const deployment = get("Deployment/matinee");
const pod = deployment.spec.template.spec;
const container = pod.containers.find((c: any) => c.name === "matinee");
const envValue = (name: string) => container.env.find((e: any) => e.name === name);
const configMap = get("ConfigMap/matinee-config");

describe("deploy/k8s", () => {
  it("every manifest parses as YAML, and the kustomization lists every manifest but the secret example", () => {
    const files = fs.readdirSync(path.join(root, "deploy/k8s")).filter((f) => f.endsWith(".yaml"));
    for (const f of files) expect(() => readYamlDocs(`deploy/k8s/${f}`)).not.toThrow();
    const listed = readYamlDocs("deploy/k8s/kustomization.yaml")[0].resources;
    expect([...listed, "kustomization.yaml", "secret.example.yaml"].sort()).toEqual(files.sort());
  });

  it("runs one replica replaced with Recreate (SQLite has one writer; the volume is ReadWriteOnce)", () => {
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy.type).toBe("Recreate");
    expect(get("PersistentVolumeClaim/matinee-data").spec.accessModes).toEqual(["ReadWriteOnce"]);
  });

  it("pulls the image on every start, since the default tag (`latest`) moves with each push", () => {
    const tag = readYamlDocs("deploy/k8s/kustomization.yaml")[0].images[0].newTag;
    expect(tag).toBe("latest");
    expect(container.imagePullPolicy).toBe("Always");
  });

  it("probes routes that exist: liveness and startup /api/health, readiness /api/health/ready", () => {
    expectHealthProbes(container);
  });

  it("agrees on the port: PORT env, containerPort, Service targetPort, Ingress backend", () => {
    const port = Number(envValue("PORT").value);
    const named = container.ports.find((p: any) => p.name === "http");
    expect(named.containerPort).toBe(port);
    expect(envValue("HOSTNAME").value).toBe("0.0.0.0");
    const service = get("Service/matinee");
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    const [svcPort] = service.spec.ports;
    const target = typeof svcPort.targetPort === "string" ? container.ports.find((p: any) => p.name === svcPort.targetPort)?.containerPort : svcPort.targetPort;
    expect(target).toBe(port);
    const backend = get("Ingress/matinee").spec.rules[0].http.paths[0].backend.service;
    expect(backend.name).toBe("matinee");
    expect([svcPort.name, svcPort.port]).toContain(backend.port.name ?? backend.port.number);
  });

  it("sets resource requests and limits", () => {
    for (const kind of ["requests", "limits"]) {
      expect(container.resources[kind].cpu, kind).toBeTruthy();
      expect(container.resources[kind].memory, kind).toBeTruthy();
    }
  });

  it("mounts the PVC at /data, where DATABASE_PATH points, writable by the image's uid 1000", () => {
    const mount = container.volumeMounts.find((m: any) => m.mountPath === "/data");
    const volume = pod.volumes.find((v: any) => v.name === mount.name);
    expect(volume.persistentVolumeClaim.claimName).toBe("matinee-data");
    expect(configMap.data.DATABASE_PATH).toBe("/data/matinee.db");
    expect(container.envFrom).toContainEqual({ configMapRef: { name: "matinee-config" } });
    expect(pod.securityContext.fsGroup).toBe(1000);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
  });

  it("takes AUTH_SECRET, TMDB_API_KEY, CRON_SECRET and METRICS_TOKEN from the matinee-secrets Secret, never from the ConfigMap", () => {
    for (const name of ["AUTH_SECRET", "TMDB_API_KEY", "CRON_SECRET", "METRICS_TOKEN"]) {
      expect(envValue(name)?.valueFrom?.secretKeyRef, name).toMatchObject({ name: "matinee-secrets", key: name });
      expect(configMap.data).not.toHaveProperty(name);
    }
    const example = readYamlDocs("deploy/k8s/secret.example.yaml")[0];
    expect(Object.keys(example.stringData).sort()).toEqual(["AUTH_SECRET", "CRON_SECRET", "METRICS_TOKEN", "TMDB_API_KEY"]);
    // Only the keys a deployment can run without are optional.
    expect(envValue("AUTH_SECRET").valueFrom.secretKeyRef.optional).toBeUndefined();
    expect(envValue("TMDB_API_KEY").valueFrom.secretKeyRef.optional).toBe(true);
  });

  it("retrains with a CronJob that POSTs /api/cron/retrain to the Service with the CRON_SECRET bearer", () => {
    const cron = get("CronJob/matinee-retrain");
    expect(cron.spec.concurrencyPolicy).toBe("Forbid");
    const [job] = cron.spec.jobTemplate.spec.template.spec.containers;
    const args: string[] = job.args;
    expect(args).toContain("POST");
    expect(args).toContain("Authorization: Bearer $(CRON_SECRET)");
    expect(job.env).toContainEqual({ name: "CRON_SECRET", valueFrom: { secretKeyRef: { name: "matinee-secrets", key: "CRON_SECRET" } } });
    const url = new URL(args.find((a) => a.startsWith("http"))!);
    expect(url.hostname).toBe(get("Service/matinee").metadata.name);
    expect(Number(url.port || 80)).toBe(get("Service/matinee").spec.ports[0].port);
    expect(url.pathname).toBe("/api/cron/retrain");
  });
});
