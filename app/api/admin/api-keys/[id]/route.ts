import { apiKeyIdParamsSchema, revokeApiKey } from "@/lib/apikeys";
import { requireAdmin } from "@/lib/auth";
import { noQuerySchema } from "@/lib/http/params";
import { privateJson } from "@/lib/http/respond";
import { expectNoBody, otherMethods, parseParams, parseQuery, route } from "@/lib/http/route";

// DELETE /api/admin/api-keys/:id — revoke a key (idempotent); admins only
export const DELETE = route(async ({ request, params }) => {
  await requireAdmin();
  const { id } = parseParams(params, apiKeyIdParamsSchema);
  parseQuery(request, noQuerySchema);
  await expectNoBody(request); // a body (a "reason"?) is refused, not ignored
  return privateJson({ apiKey: await revokeApiKey(id) });
});

// Other methods: 405 with the error body and Allow.
export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods("DELETE");
