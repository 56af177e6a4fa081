import { privateJsonText } from "@/lib/http/respond";
import { parseQuery, route } from "@/lib/http/route";
import { recommendQuerySchema } from "@/lib/recs/schemas";
import { encodeRecommendations, serveRecommendations } from "@/lib/recs/api";

export const dynamic = "force-dynamic";

// GET /api/recommend — top-k movies for a user
export const GET = route(async ({ request, requestId }) => {
  const result = await serveRecommendations(parseQuery(request, recommendQuerySchema));
  return privateJsonText(encodeRecommendations(result, requestId));
}, { rateLimit: "public" });
