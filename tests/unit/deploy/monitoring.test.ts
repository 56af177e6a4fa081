import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderMetrics } from "@/lib/mlops/metrics";
import { useTempDb } from "../../helpers/temp-db";
import { exists, readJson, readText, readYaml, routeFile } from "./manifests";

const compose = readYaml("docker-compose.yml");
const prometheus = readYaml("deploy/prometheus/prometheus.yml");
const datasources = readYaml("deploy/grafana/provisioning/datasources/prometheus.yml");
const providers = readYaml("deploy/grafana/provisioning/dashboards/matinee.yml");
const dashboard = readJson("deploy/grafana/dashboards/matinee-overview.json");

/** compose bind mounts "host:container[:ro]" of a service, as { host → container }. */
const binds = (service: string) =>
  Object.fromEntries(
    (compose.services[service].volumes as string[]).filter((v) => v.startsWith("./")).map((v) => v.split(":").slice(0, 2)),
  ) as Record<string, string>;

describe("docker-compose.yml", () => {
  it("runs Matinee, Prometheus and Grafana, Matinee built from this Dockerfile with its data on a volume", () => {
    // Services under a profile (PostgreSQL: scale-out.test.ts) start only when it is asked for.
    const always = Object.keys(compose.services).filter((name) => !compose.services[name].profiles);
    expect(always.sort()).toEqual(["grafana", "matinee", "prometheus"]);
    const matinee = compose.services.matinee;
    expect(matinee.build).toBe(".");
    expect(matinee.volumes).toContain("matinee-data:/data");
    expect(matinee.environment.DATABASE_PATH).toBe("/data/matinee.db");
  });

  it("publishes the PORT the server listens on", () => {
    const { PORT, HOSTNAME } = compose.services.matinee.environment;
    expect(compose.services.matinee.ports).toEqual([`${PORT}:${PORT}`]);
    expect(HOSTNAME).toBe("0.0.0.0");
  });

  it("mounts host files that exist", () => {
    for (const service of ["prometheus", "grafana"]) for (const host of Object.keys(binds(service))) expect(exists(host), host).toBe(true);
  });
});

describe("Prometheus and Grafana", () => {
  it("Prometheus scrapes /api/metrics on the compose service and port", () => {
    const job = prometheus.scrape_configs.find((j: any) => j.job_name === "matinee");
    expect(job.metrics_path).toBe("/api/metrics");
    expect(job.static_configs[0].targets).toEqual([`matinee:${compose.services.matinee.environment.PORT}`]);
    expect(binds("prometheus")["./deploy/prometheus/prometheus.yml"]).toBe("/etc/prometheus/prometheus.yml");
  });

  it("/api/metrics is a route that answers GET", () => {
    expect(readText(routeFile("/api/metrics"))).toMatch(/export (const|async function) GET\b/);
  });

  it("Grafana provisions the Prometheus datasource the dashboard uses, from the mounted folder", () => {
    const [source] = datasources.datasources;
    expect(source.url).toBe("http://prometheus:9090");
    expect(binds("grafana")["./deploy/grafana/provisioning"]).toBe("/etc/grafana/provisioning");
    expect(binds("grafana")["./deploy/grafana/dashboards"]).toBe(providers.providers[0].options.path);
    const panels = dashboard.panels.filter((p: any) => p.type !== "row");
    expect(panels.length).toBeGreaterThan(0);
    for (const panel of panels) {
      expect(panel.datasource.uid, panel.title).toBe(source.uid);
      expect(panel.targets[0].expr, panel.title).toBeTruthy();
    }
    expect(new Set(dashboard.panels.map((p: any) => p.id)).size).toBe(dashboard.panels.length);
  });
});

describe("the Grafana dashboard", () => {
  let db: ReturnType<typeof useTempDb>;
  beforeAll(() => {
    db = useTempDb();
  });
  afterAll(() => db.cleanup());

  it("queries only metrics that /api/metrics exports (or Prometheus' own up)", async () => {
    const { body } = await renderMetrics();
    const exported = new Set([...body.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => m[1]!));
    const exprs: string[] = dashboard.panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => t.expr));
    const used = new Set(exprs.flatMap((e) => [...e.matchAll(/\bmatinee_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, ""))));
    expect(used.size).toBeGreaterThan(5);
    for (const name of used) expect(exported.has(name), `${name} is not in /api/metrics`).toBe(true);
  });
});
