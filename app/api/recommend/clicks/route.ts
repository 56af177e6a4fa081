import { requireCaller } from "@/lib/auth";
import { recordClickFor } from "@/lib/experiments/api";
import { recordClickSchema } from "@/lib/experiments/schemas";
import { noQuerySchema } from "@/lib/http/params";
import { privateJson } from "@/lib/http/respond";
import { otherMethods, parseJsonBody, parseQuery, route } from "@/lib/http/route";

// POST /api/recommend/clicks — a user opened a recommended movie (counted for the running A/B experiment)
export const POST = route(async ({ request }) => {
  const caller = await requireCaller(request);
  parseQuery(request, noQuerySchema);
  return privateJson(await recordClickFor(caller, await parseJsonBody(request, recordClickSchema)));
}, { rateLimit: "public" });

// Other methods: 405 with the error body and Allow.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
