import { requireAdmin } from "@/lib/auth";
import { getJobForApi } from "@/lib/jobs/api";
import { cancelJob } from "@/lib/jobs/cancel";
import { jobIdParamsSchema } from "@/lib/jobs/schemas";
import { noQuerySchema } from "@/lib/http/params";
import { privateJson } from "@/lib/http/respond";
import { expectNoBody, otherMethods, parseParams, parseQuery, route } from "@/lib/http/route";

// POST /api/admin/jobs/:id/cancel — cancel a queued job, or stop a running one (SIGTERM to its worker on this host); admins only
export const POST = route(async ({ request, params }) => {
  const admin = await requireAdmin();
  const { id } = parseParams(params, jobIdParamsSchema);
  parseQuery(request, noQuerySchema);
  await expectNoBody(request);
  const outcome = await cancelJob(id, admin.email);
  return privateJson({ outcome, job: await getJobForApi(id) }, { status: outcome === "stopping" ? 202 : 200 });
});

// Other methods: 405 with the error body and Allow.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
