import { listPopularForApi, popularQuerySchema } from "@/lib/catalog/api";
import { publicJson } from "@/lib/http/respond";
import { otherMethods, parseQuery, route } from "@/lib/http/route";

// GET /api/popular — the most popular movies, optionally in one genre
export const GET = route(async ({ request }) => publicJson(await listPopularForApi(parseQuery(request, popularQuerySchema))), { rateLimit: "public" });

// Other methods: 405 with the error body and Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
