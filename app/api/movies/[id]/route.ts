import { z } from "zod";
import { getMovieForApi } from "@/lib/catalog/api";
import { movieIdSchema } from "@/lib/catalog/schemas";
import { publicJson } from "@/lib/http/respond";
import { noQuerySchema } from "@/lib/http/params";
import { otherMethods, parseParams, parseQuery, route } from "@/lib/http/route";

// GET /api/movies/[id] — one movie's facts
export const GET = route(async ({ request, params }) => {
  const { id } = parseParams(params, z.object({ id: movieIdSchema }));
  parseQuery(request, noQuerySchema);
  return publicJson(await getMovieForApi(id), 300);
}, { rateLimit: "public" });

// Other methods: 405 with the error body and Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
