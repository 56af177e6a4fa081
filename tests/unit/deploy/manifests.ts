import fs from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { parseAllDocuments } from "yaml";

// Readers shared by the deployment manifest tests: every file is read from the repository root.
export const root = path.resolve(__dirname, "../../..");

export const readText = (file: string) => fs.readFileSync(path.join(root, file), "utf8");
export const exists = (file: string) => fs.existsSync(path.join(root, file));
export const readJson = <T = any>(file: string): T => JSON.parse(readText(file)) as T;

/** Every YAML document in a file, failing on any parse error or warning. */
export function readYamlDocs<T = any>(file: string): T[] {
  const docs = parseAllDocuments(readText(file));
  if (!Array.isArray(docs)) return [];
  for (const doc of docs) {
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length) throw new Error(`${file}: ${problems.map((p) => p.message).join("; ")}`);
  }
  return docs.map((d) => d.toJS() as T).filter((d) => d != null);
}

export const readYaml = <T = any>(file: string): T => {
  const [doc] = readYamlDocs<T>(file);
  if (doc === undefined) throw new Error(`${file}: empty`);
  return doc;
};

/** The App Router file that serves a URL path such as /api/health/ready. */
export const routeFile = (urlPath: string) => `app${urlPath.replace(/\/$/, "")}/route.ts`;

/** A container's probes: liveness and startup on /api/health, readiness on /api/health/ready, all routes that exist, on the named port. */
export function expectHealthProbes(container: any): void {
  expect(container.livenessProbe.httpGet.path).toBe("/api/health");
  expect(container.startupProbe.httpGet.path).toBe("/api/health");
  expect(container.readinessProbe.httpGet.path).toBe("/api/health/ready");
  for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
    expect(exists(routeFile(probe.httpGet.path)), probe.httpGet.path).toBe(true);
    expect(probe.httpGet.port).toBe("http");
  }
}

/** The Kubernetes manifests kustomization.yaml applies, keyed by kind/name. */
export function k8sResources(): Map<string, any> {
  const kustomization = readYaml("deploy/k8s/kustomization.yaml");
  const out = new Map<string, any>();
  for (const file of kustomization.resources as string[]) {
    for (const doc of readYamlDocs(path.join("deploy/k8s", file))) out.set(`${doc.kind}/${doc.metadata.name}`, doc);
  }
  return out;
}

export type DockerInstruction = { keyword: string; args: string; line: number };

/** Dockerfile instructions with continuation lines joined and comments dropped. */
export function dockerInstructions(text: string): DockerInstruction[] {
  const out: DockerInstruction[] = [];
  let pending: { text: string; line: number } | null = null;
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!pending && (line === "" || line.startsWith("#"))) return;
    if (pending && line.startsWith("#")) return;
    const continued = line.endsWith("\\");
    const body = continued ? line.slice(0, -1).trim() : line;
    pending = pending ? { text: `${pending.text} ${body}`, line: pending.line } : { text: body, line: i + 1 };
    if (!continued) {
      const [keyword, ...rest] = pending.text.split(/\s+/);
      out.push({ keyword: keyword!.toUpperCase(), args: rest.join(" "), line: pending.line });
      pending = null;
    }
  });
  return out;
}

/** The image repository without tag or digest: ghcr.io/matinee/matinee:sha-1 → ghcr.io/matinee/matinee. */
export const imageRepo = (image: string) => image.replace(/@sha256:[0-9a-f]+$/, "").replace(/:[^/:]+$/, "");

/** The single image name every deployment target uses (the CI workflow's IMAGE). */
export const expectedImage = () => readYaml(".github/workflows/ci.yml").env.IMAGE as string;
