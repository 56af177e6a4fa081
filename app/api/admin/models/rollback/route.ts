import { requireAdmin } from "@/lib/auth";
import { rollbackServing } from "@/lib/mlops/actions";
import { noQuerySchema } from "@/lib/http/params";
import { privateJson } from "@/lib/http/respond";
import { expectNoBody, otherMethods, parseQuery, route } from "@/lib/http/route";

// POST /api/admin/models/rollback — serve the previous production version again (instant; recorded; no body); admins only
export const POST = route(async ({ request }) => {
  const admin = await requireAdmin();
  parseQuery(request, noQuerySchema);
  await expectNoBody(request);
  return privateJson(await rollbackServing({ userId: admin.id, label: admin.email }));
});

// Other methods: 405 with the error body and Allow.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
