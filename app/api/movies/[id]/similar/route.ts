import { z } from "zod";
import { movieIdSchema } from "@/lib/catalog/schemas";
import { publicJson } from "@/lib/http/respond";
import { otherMethods, parseParams, parseQuery, route } from "@/lib/http/route";
import { similarQuerySchema } from "@/lib/recs/schemas";
import { listSimilarMovies } from "@/lib/recs/serve";

// GET /api/movies/[id]/similar — movies similar to this one, from the item-neighbour cache
export const GET = route(async ({ request, params }) => {
  const { id } = parseParams(params, z.object({ id: movieIdSchema }));
  return publicJson(await listSimilarMovies(id, parseQuery(request, similarQuerySchema).k));
}, { rateLimit: "public" });

// Other methods: 405 with the error body and Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
