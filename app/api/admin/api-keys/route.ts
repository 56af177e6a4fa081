import { createApiKey, createApiKeySchema, listApiKeys } from "@/lib/apikeys";
import { requireAdmin } from "@/lib/auth";
import { noQuerySchema } from "@/lib/http/params";
import { privateJson } from "@/lib/http/respond";
import { otherMethods, parseJsonBody, parseQuery, route } from "@/lib/http/route";

// GET /api/admin/api-keys — every API key, newest first (never the key itself); admins only
export const GET = route(async ({ request }) => {
  await requireAdmin();
  parseQuery(request, noQuerySchema);
  return privateJson({ items: await listApiKeys() });
});

// POST /api/admin/api-keys — create a key; the plaintext key is in this response only; admins only
export const POST = route(async ({ request }) => {
  const admin = await requireAdmin();
  parseQuery(request, noQuerySchema);
  const { name } = await parseJsonBody(request, createApiKeySchema);
  return privateJson(await createApiKey(name, admin.id), { status: 201 });
});

// Other methods: 405 with the error body and Allow.
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
