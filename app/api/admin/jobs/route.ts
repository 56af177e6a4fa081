import { requireAdmin } from "@/lib/auth";
import { listJobsForApi, toApiJob } from "@/lib/jobs/api";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { enqueueJobSchema, jobListQuerySchema } from "@/lib/jobs/schemas";
import { noQuerySchema } from "@/lib/http/params";
import { privateJson } from "@/lib/http/respond";
import { otherMethods, parseJsonBody, parseQuery, route } from "@/lib/http/route";

// GET /api/admin/jobs — recent background jobs, newest first; admins only
export const GET = route(async ({ request }) => {
  await requireAdmin();
  const query = parseQuery(request, jobListQuerySchema);
  return privateJson({ items: await listJobsForApi(query) });
});

// POST /api/admin/jobs — queue a crawl, simulation or retraining and start its worker; 409 while one of that kind is open
export const POST = route(async ({ request }) => {
  const admin = await requireAdmin();
  parseQuery(request, noQuerySchema);
  const { kind, params } = await parseJsonBody(request, enqueueJobSchema);
  const job = await enqueueJob(kind, params, { id: admin.id, email: admin.email });
  return privateJson({ job: toApiJob(job) }, { status: 202 });
});

// Other methods: 405 with the error body and Allow.
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
