import { z } from "zod";
import { privateJsonText } from "@/lib/http/respond";
import { otherMethods, parseParams, parseQuery, route } from "@/lib/http/route";
import { recommendPathQuerySchema, userIdSchema } from "@/lib/recs/schemas";
import { checkRecommendationAccess } from "@/lib/recs/access";
import { encodeRecommendations, serveRecommendations } from "@/lib/recs/api";
import { andThen } from "@/lib/util/maybe";

export const dynamic = "force-dynamic";

const pathSchema = z.object({ userId: userIdSchema });

// GET /api/recommend/[userId] — same as /api/recommend?userId=, in the original design's path shape
export const GET = route(({ request, params, requestId }) => {
  const { userId } = parseParams(params, pathSchema);
  const query = parseQuery(request, recommendPathQuerySchema);
  return andThen(checkRecommendationAccess(request, [userId]), (viewer) =>
    andThen(serveRecommendations({ userId, ...query }, viewer), (ready) => privateJsonText(encodeRecommendations(ready, requestId))),
  );
}, { rateLimit: "public" });

// Other methods: 405 with the error body and Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
