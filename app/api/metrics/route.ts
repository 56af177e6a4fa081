import { authorizeMetrics } from "@/lib/mlops/metrics-auth";
import { renderMetrics } from "@/lib/mlops/metrics";
import { noQuerySchema } from "@/lib/http/params";
import { otherMethods, parseQuery, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// GET /api/metrics — Prometheus exposition (bearer METRICS_TOKEN when configured)
export const GET = route(async ({ request }) => {
  authorizeMetrics(request);
  parseQuery(request, noQuerySchema);
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});

// Other methods: 405 with the error body and Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
