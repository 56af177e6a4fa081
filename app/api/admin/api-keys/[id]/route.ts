import { apiKeyIdParamsSchema, revokeApiKey } from "@/lib/apikeys";
import { requireAdmin } from "@/lib/auth";
import { privateJson } from "@/lib/http/respond";
import { parseParams, route } from "@/lib/http/route";

// DELETE /api/admin/api-keys/:id — revoke a key (idempotent); admins only
export const DELETE = route(async ({ params }) => {
  await requireAdmin();
  const { id } = parseParams(params, apiKeyIdParamsSchema);
  return privateJson({ apiKey: await revokeApiKey(id) });
});
