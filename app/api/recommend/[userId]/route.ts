import { z } from "zod";
import { privateJsonText } from "@/lib/http/respond";
import { parseParams, parseQuery, route } from "@/lib/http/route";
import { recommendPathQuerySchema, userIdSchema } from "@/lib/recs/schemas";
import { encodeRecommendations, serveRecommendations } from "@/lib/recs/api";

export const dynamic = "force-dynamic";

// GET /api/recommend/[userId] — same as /api/recommend?userId=, in the original design's path shape
export const GET = route(async ({ request, params, requestId }) => {
  const { userId } = parseParams(params, z.object({ userId: userIdSchema }));
  const result = await serveRecommendations({ userId, ...parseQuery(request, recommendPathQuerySchema) });
  return privateJsonText(encodeRecommendations(result, requestId));
}, { rateLimit: "public" });
