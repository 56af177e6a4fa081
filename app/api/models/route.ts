import { privateJson } from "@/lib/http/respond";
import { otherMethods, route } from "@/lib/http/route";
import { listModelsForApi } from "@/lib/mlops/api";

export const dynamic = "force-dynamic";

// GET /api/models — model versions with their metrics, and which one serves
export const GET = route(async () => privateJson(await listModelsForApi()), { rateLimit: "public" });

// Other methods: 405 with the error body and Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
