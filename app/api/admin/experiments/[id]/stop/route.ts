import { requireAdmin } from "@/lib/auth";
import { experimentIdParamsSchema, stopExperimentSchema } from "@/lib/experiments/schemas";
import { stopExperiment } from "@/lib/experiments/service";
import { noQuerySchema } from "@/lib/http/params";
import { privateJson } from "@/lib/http/respond";
import { otherMethods, parseOptionalJsonBody, parseParams, parseQuery, route } from "@/lib/http/route";

// POST /api/admin/experiments/:id/stop — stop the experiment, optionally promoting one arm's version (audited; the body may be left out); admins only
export const POST = route(async ({ request, params }) => {
  const admin = await requireAdmin();
  const { id } = parseParams(params, experimentIdParamsSchema);
  parseQuery(request, noQuerySchema);
  const body = await parseOptionalJsonBody(request, stopExperimentSchema);
  return privateJson(await stopExperiment(id, body, { userId: admin.id, label: admin.email }));
});

// Other methods: 405 with the error body and Allow.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
