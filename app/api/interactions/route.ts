import { requireCaller } from "@/lib/auth";
import { noQuerySchema } from "@/lib/http/params";
import { privateJson } from "@/lib/http/respond";
import { expectNoBody, otherMethods, parseJsonBody, parseQuery, route } from "@/lib/http/route";
import { interactionBodySchema, interactionDeleteQuerySchema, recordInteractionFor, removeInteractionFor } from "@/lib/interactions/api";

// POST /api/interactions — record a rating, watch, like or watchlist change (session or API key)
export const POST = route(async ({ request }) => {
  const caller = await requireCaller(request);
  parseQuery(request, noQuerySchema);
  const saved = await recordInteractionFor(caller, await parseJsonBody(request, interactionBodySchema));
  return privateJson(saved, { status: 201 });
}, { rateLimit: "public" });

// DELETE /api/interactions?movieId=&kind= — take a signal back, e.g. clear a rating (session or API key)
export const DELETE = route(async ({ request }) => {
  const caller = await requireCaller(request);
  const query = parseQuery(request, interactionDeleteQuerySchema);
  await expectNoBody(request); // what to remove is in the query; a body is refused, not ignored
  return privateJson(await removeInteractionFor(caller, query));
}, { rateLimit: "public" });

// Other methods: 405 with the error body and Allow.
export const { GET, PUT, PATCH, OPTIONS } = otherMethods("POST", "DELETE");
