import { requireAdmin } from "@/lib/auth";
import { getJobForApi } from "@/lib/jobs/api";
import { jobIdParamsSchema } from "@/lib/jobs/schemas";
import { noQuerySchema } from "@/lib/http/params";
import { privateJson } from "@/lib/http/respond";
import { otherMethods, parseParams, parseQuery, route } from "@/lib/http/route";

// GET /api/admin/jobs/:id — one job's status, progress and log tail (the admin UI polls this); admins only
export const GET = route(async ({ request, params }) => {
  await requireAdmin();
  const { id } = parseParams(params, jobIdParamsSchema);
  parseQuery(request, noQuerySchema);
  return privateJson({ job: await getJobForApi(id) });
});

// Other methods: 405 with the error body and Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
