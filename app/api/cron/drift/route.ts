import { noQuerySchema } from "@/lib/http/params";
import { privateJson } from "@/lib/http/respond";
import { expectNoBody, otherMethods, parseQuery, route } from "@/lib/http/route";
import { authorizeCron, runDriftCheck } from "@/lib/mlops/cron";

export const dynamic = "force-dynamic";

// GET|POST /api/cron/drift — compute and record drift; may queue a retrain (bearer CRON_SECRET)
const handler = route(async ({ request }) => {
  authorizeCron(request);
  parseQuery(request, noQuerySchema);
  // a POST takes no input: a body other than {} is refused, not ignored
  if (request.method === "POST") await expectNoBody(request);
  return privateJson(await runDriftCheck());
});

export const GET = handler;
export const POST = handler;

// Other methods: 405 with the error body and Allow.
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
