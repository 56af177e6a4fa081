import { privateJsonText } from "@/lib/http/respond";
import { otherMethods, parseQuery, route } from "@/lib/http/route";
import { recommendQuerySchema } from "@/lib/recs/schemas";
import { checkRecommendationAccess } from "@/lib/recs/access";
import { encodeRecommendations, serveRecommendations } from "@/lib/recs/api";
import { andThen } from "@/lib/util/maybe";

export const dynamic = "force-dynamic";

// GET /api/recommend — top-k movies for a user
export const GET = route(({ request, requestId }) => {
  const query = parseQuery(request, recommendQuerySchema);
  return andThen(checkRecommendationAccess(request, [query.userId]), (viewer) =>
    andThen(serveRecommendations(query, viewer), (ready) => privateJsonText(encodeRecommendations(ready, requestId))),
  );
}, { rateLimit: "public" });

// Other methods: 405 with the error body and Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
