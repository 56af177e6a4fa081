import fs from "node:fs";
import path from "node:path";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Every route.ts under `dir` (default app/api), as absolute paths. */
export function routeFiles(dir = path.join(process.cwd(), "app", "api")): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...routeFiles(full));
    else if (entry.name === "route.ts") out.push(full);
  }
  return out;
}

/**
 * The methods a route file serves: exported by name (`export const GET = …`, `export async
 * function POST`). The ones it refuses come from `otherMethods()` in a destructuring export.
 */
export function servedMethods(file: string): HttpMethod[] {
  const source = fs.readFileSync(file, "utf8");
  return HTTP_METHODS.filter((m) => new RegExp(`export (const|async function|function) ${m}\\b`).test(source));
}
