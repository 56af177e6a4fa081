import { privateJsonText } from "@/lib/http/respond";
import { parseQuery, route } from "@/lib/http/route";
import { recommendQuerySchema } from "@/lib/recs/schemas";
import { encodeRecommendations, serveRecommendations } from "@/lib/recs/api";
import { andThen } from "@/lib/util/maybe";

export const dynamic = "force-dynamic";

// GET /api/recommend — top-k movies for a user
export const GET = route(({ request, requestId }) => {
  const result = serveRecommendations(parseQuery(request, recommendQuerySchema));
  return andThen(result, (ready) => privateJsonText(encodeRecommendations(ready, requestId)));
}, { rateLimit: "public" });
