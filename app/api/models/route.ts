import { privateJson } from "@/lib/http/respond";
import { otherMethods, parseQuery, route } from "@/lib/http/route";
import { listModelsForApi, modelListQuerySchema } from "@/lib/mlops/api";

export const dynamic = "force-dynamic";

// GET /api/models?limit=&before= — model versions with their metrics (newest first, a page at a time), and which one serves
export const GET = route(async ({ request }) => privateJson(await listModelsForApi(parseQuery(request, modelListQuerySchema))), { rateLimit: "public" });

// Other methods: 405 with the error body and Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
