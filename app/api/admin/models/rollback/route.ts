import { requireAdmin } from "@/lib/auth";
import { rollbackRequestSchema, rollbackServing } from "@/lib/mlops/actions";
import { noQuerySchema } from "@/lib/http/params";
import { privateJson } from "@/lib/http/respond";
import { otherMethods, parseOptionalJsonBody, parseQuery, route } from "@/lib/http/route";

// POST /api/admin/models/rollback — serve the previous production version again (instant; recorded; the body `{ "to": N }` may be left out); admins only
export const POST = route(async ({ request }) => {
  const admin = await requireAdmin();
  parseQuery(request, noQuerySchema);
  const body = await parseOptionalJsonBody(request, rollbackRequestSchema);
  return privateJson(await rollbackServing({ userId: admin.id, label: admin.email }, body));
});

// Other methods: 405 with the error body and Allow.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
