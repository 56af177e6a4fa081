import { requireAdmin } from "@/lib/auth";
import { privateJson } from "@/lib/http/respond";
import { otherMethods, parseQuery, route } from "@/lib/http/route";
import { compareRuns, runCompareQuerySchema } from "@/lib/mlops/runs";

// GET /api/admin/runs/compare?ids=3,5 — runs side by side: parameter differences, metric and data deltas against the first; admins only
export const GET = route(async ({ request }) => {
  await requireAdmin();
  const { ids } = parseQuery(request, runCompareQuerySchema);
  return privateJson(await compareRuns(ids));
});

// Other methods: 405 with the error body and Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
