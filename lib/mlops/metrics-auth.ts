import { timingSafeEqual } from "node:crypto";
import { getEnv } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";

/** Bearer-token check shared by operator endpoints (metrics, cron), timing-safe. */
export function requireBearer(request: Request, secret: string | undefined, what: string): void {
  if (!secret) return;
  const given = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new ApiError("unauthorized", `A valid bearer token is required for ${what}`, undefined, { "www-authenticate": "Bearer" });
  }
}

export function authorizeMetrics(request: Request): void {
  requireBearer(request, getEnv().METRICS_TOKEN, "metrics");
}
