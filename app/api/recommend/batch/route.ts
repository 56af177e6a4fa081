import { noQuerySchema } from "@/lib/http/params";
import { privateJson } from "@/lib/http/respond";
import { otherMethods, parseJsonBody, parseQuery, route } from "@/lib/http/route";
import { checkRecommendationAccess } from "@/lib/recs/access";
import { recommendBatch } from "@/lib/recs/api";
import { batchRequestSchema } from "@/lib/recs/schemas";

// POST /api/recommend/batch — recommendations for up to 1000 users in one call, counted against
// the public API limit as one request per distinct user
export const POST = route(async ({ request, requestId, charge }) => {
  parseQuery(request, noQuerySchema);
  const body = await parseJsonBody(request, batchRequestSchema);
  const viewer = await checkRecommendationAccess(request, body.userIds);
  await charge(new Set(body.userIds).size - 1);
  const result = await recommendBatch(body, viewer);
  return privateJson({ ...result, requestId });
}, { rateLimit: "public" });

// Other methods: 405 with the error body and Allow.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
