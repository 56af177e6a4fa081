import { checkHealth } from "@/lib/health/check";
import { noQuerySchema } from "@/lib/http/params";
import { otherMethods, parseQuery, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// GET /api/health — liveness: process up and database reachable (503 when it is not)
export const GET = route(async ({ request }) => {
  parseQuery(request, noQuerySchema);
  const health = await checkHealth();
  return Response.json(health, { status: health.db === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
});

// Other methods: 405 with the error body and Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
