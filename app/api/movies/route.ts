import { listMoviesForApi, movieListQuerySchema } from "@/lib/catalog/api";
import { publicJson } from "@/lib/http/respond";
import { otherMethods, parseQuery, route } from "@/lib/http/route";

// GET /api/movies — title search with genre/year filters, sorting and pagination
export const GET = route(async ({ request }) => publicJson(await listMoviesForApi(parseQuery(request, movieListQuerySchema))), { rateLimit: "public" });

// Other methods: 405 with the error body and Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
