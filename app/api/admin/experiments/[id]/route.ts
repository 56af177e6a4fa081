import { requireAdmin } from "@/lib/auth";
import { experimentIdParamsSchema } from "@/lib/experiments/schemas";
import { getExperimentReport } from "@/lib/experiments/service";
import { noQuerySchema } from "@/lib/http/params";
import { privateJson } from "@/lib/http/respond";
import { otherMethods, parseParams, parseQuery, route } from "@/lib/http/route";

// GET /api/admin/experiments/:id — the report: per arm impressions, CTR, watch rate, 95% CIs, z-tests vs control; admins only
export const GET = route(async ({ request, params }) => {
  await requireAdmin();
  const { id } = parseParams(params, experimentIdParamsSchema);
  parseQuery(request, noQuerySchema);
  return privateJson(await getExperimentReport(id));
});

// Other methods: 405 with the error body and Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
