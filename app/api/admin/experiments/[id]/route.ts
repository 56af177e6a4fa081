import { requireAdmin } from "@/lib/auth";
import { experimentIdParamsSchema } from "@/lib/experiments/schemas";
import { getExperimentReport } from "@/lib/experiments/service";
import { privateJson } from "@/lib/http/respond";
import { otherMethods, parseParams, route } from "@/lib/http/route";

// GET /api/admin/experiments/:id — the report: per arm impressions, CTR, watch rate, 95% CIs, z-tests vs control; admins only
export const GET = route(async ({ params }) => {
  await requireAdmin();
  const { id } = parseParams(params, experimentIdParamsSchema);
  return privateJson(await getExperimentReport(id));
});

// Other methods: 405 with the error body and Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
