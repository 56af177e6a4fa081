import { noQuerySchema } from "@/lib/http/params";
import { otherMethods, parseQuery, route } from "@/lib/http/route";
import { publicJson } from "@/lib/http/respond";
import { buildOpenApiDocument } from "@/lib/openapi/document";

// GET /api/openapi.json — the OpenAPI 3.1 description of this API
export const GET = route(({ request }) => {
  parseQuery(request, noQuerySchema);
  return publicJson(buildOpenApiDocument(), 300);
});

// Other methods: 405 with the error body and Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
