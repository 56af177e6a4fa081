import { apiKeyIdParamsSchema, revokeApiKey } from "@/lib/apikeys";
import { requireAdmin } from "@/lib/auth";
import { privateJson } from "@/lib/http/respond";
import { otherMethods, parseParams, route } from "@/lib/http/route";

// DELETE /api/admin/api-keys/:id — revoke a key (idempotent); admins only
export const DELETE = route(async ({ params }) => {
  await requireAdmin();
  const { id } = parseParams(params, apiKeyIdParamsSchema);
  return privateJson({ apiKey: await revokeApiKey(id) });
});

// Other methods: 405 with the error body and Allow.
export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods("DELETE");
