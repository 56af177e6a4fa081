import { checkReadiness } from "@/lib/health/check";
import { noQuerySchema } from "@/lib/http/params";
import { privateJson } from "@/lib/http/respond";
import { otherMethods, parseQuery, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// GET /api/health/ready — readiness: database reachable and a serving model loaded (503 otherwise)
export const GET = route(async ({ request }) => {
  parseQuery(request, noQuerySchema);
  const readiness = await checkReadiness();
  return privateJson(readiness, { status: readiness.ready ? 200 : 503 });
});

// Other methods: 405 with the error body and Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
