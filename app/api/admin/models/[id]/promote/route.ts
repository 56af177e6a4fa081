import { requireAdmin } from "@/lib/auth";
import { modelIdParamsSchema, promoteVersion } from "@/lib/mlops/actions";
import { noQuerySchema } from "@/lib/http/params";
import { privateJson } from "@/lib/http/respond";
import { expectNoBody, otherMethods, parseParams, parseQuery, route } from "@/lib/http/route";

// POST /api/admin/models/:id/promote — make a ready version the serving one (recorded with who and when; no body); admins only
export const POST = route(async ({ request, params }) => {
  const admin = await requireAdmin();
  const { id } = parseParams(params, modelIdParamsSchema);
  parseQuery(request, noQuerySchema);
  await expectNoBody(request);
  return privateJson(await promoteVersion(id, { userId: admin.id, label: admin.email }));
});

// Other methods: 405 with the error body and Allow.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
