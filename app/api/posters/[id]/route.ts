import { z } from "zod";
import { getGeneratedPoster } from "@/lib/catalog/poster-svg";
import { movieIdSchema } from "@/lib/catalog/schemas";
import { noQuerySchema } from "@/lib/http/params";
import { otherMethods, parseParams, parseQuery, route } from "@/lib/http/route";

// GET /api/posters/[id] — the generated SVG poster (used when there is no TMDB poster). Its
// Content-Security-Policy (nothing loads, so nothing in the SVG runs) comes from next.config.ts's
// API rule, which replaces any a route sets.
export const GET = route(async ({ request, params }) => {
  const { id } = parseParams(params, z.object({ id: movieIdSchema }));
  parseQuery(request, noQuerySchema);
  const svg = await getGeneratedPoster(id);
  return new Response(svg, {
    headers: {
      "content-type": "image/svg+xml; charset=utf-8",
      "cache-control": "public, max-age=86400, stale-while-revalidate=604800",
    },
  });
});

// Other methods: 405 with the error body and Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
