import { describe, expect, it } from "vitest";
import { exists, readJson, routeFile } from "./manifests";

const task = readJson("deploy/ecs/task-definition.json");
const service = readJson("deploy/ecs/service.json");
const container = task.containerDefinitions.find((c: any) => c.name === "matinee");
const env = Object.fromEntries(container.environment.map((e: any) => [e.name, e.value]));

describe("deploy/ecs", () => {
  it("health-checks /api/health, a route that exists, on the PORT the server listens on", () => {
    const command: string[] = container.healthCheck.command;
    expect(command[0]).toBe("CMD");
    expect(command.join(" ")).toContain("/api/health'");
    expect(exists(routeFile("/api/health"))).toBe(true);
    expect(container.healthCheck.startPeriod).toBeLessThanOrEqual(300); // ECS maximum
  });

  it("agrees on the port: PORT env, portMappings, the load balancer", () => {
    expect(container.portMappings.map((p: any) => p.containerPort)).toEqual([Number(env.PORT)]);
    expect(env.HOSTNAME).toBe("0.0.0.0");
    expect(service.loadBalancers[0]).toMatchObject({ containerName: "matinee", containerPort: Number(env.PORT) });
  });

  it("keeps the database on an encrypted EFS volume mounted at /data, where DATABASE_PATH points", () => {
    const mount = container.mountPoints.find((m: any) => m.containerPath === "/data");
    const volume = task.volumes.find((v: any) => v.name === mount.sourceVolume);
    expect(volume.efsVolumeConfiguration.fileSystemId).toMatch(/^fs-/);
    expect(volume.efsVolumeConfiguration.transitEncryption).toBe("ENABLED");
    expect(env.DATABASE_PATH).toBe("/data/matinee.db");
  });

  it("references AUTH_SECRET, CRON_SECRET and TMDB_API_KEY by Secrets Manager / SSM ARN, never as plain values", () => {
    const secrets = Object.fromEntries(container.secrets.map((s: any) => [s.name, s.valueFrom]));
    for (const name of ["AUTH_SECRET", "CRON_SECRET", "TMDB_API_KEY"]) {
      expect(secrets[name], name).toMatch(/^arn:aws:(secretsmanager|ssm):[a-z0-9-]+:\d{12}:(secret|parameter)[:/]/);
      expect(env).not.toHaveProperty(name);
    }
  });

  it("runs one task and stops the old one before starting the new (SQLite has one writer)", () => {
    expect(service.desiredCount).toBe(1);
    expect(service.deploymentConfiguration).toMatchObject({ minimumHealthyPercent: 0, maximumPercent: 100 });
    expect(service.taskDefinition).toBe(task.family);
  });
});

describe("vercel.json", () => {
  it("schedules the retrain route", () => {
    const vercel = readJson("vercel.json");
    expect(vercel.crons).toEqual([{ path: "/api/cron/retrain", schedule: expect.stringMatching(/^(\S+\s){4}\S+$/) }]);
  });
});
