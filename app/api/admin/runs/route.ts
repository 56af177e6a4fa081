import { requireAdmin } from "@/lib/auth";
import { privateJson } from "@/lib/http/respond";
import { otherMethods, parseQuery, route } from "@/lib/http/route";
import { listRuns, runListQuerySchema } from "@/lib/mlops/runs";

// GET /api/admin/runs — training runs (parameters, metrics, data snapshot, duration, code version, status), newest first; admins only
export const GET = route(async ({ request }) => {
  await requireAdmin();
  const { limit } = parseQuery(request, runListQuerySchema);
  return privateJson(await listRuns(limit));
});

// Other methods: 405 with the error body and Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
