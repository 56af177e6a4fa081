import { listGenresForApi } from "@/lib/catalog/api";
import { publicJson } from "@/lib/http/respond";
import { noQuerySchema } from "@/lib/http/params";
import { otherMethods, parseQuery, route } from "@/lib/http/route";

// GET /api/genres — every genre with its movie count
export const GET = route(async ({ request }) => {
  parseQuery(request, noQuerySchema);
  return publicJson(await listGenresForApi(), 300);
}, { rateLimit: "public" });

// Other methods: 405 with the error body and Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
