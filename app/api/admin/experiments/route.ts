import { requireAdmin } from "@/lib/auth";
import { createExperimentSchema } from "@/lib/experiments/schemas";
import { createExperiment, listExperimentsForAdmin } from "@/lib/experiments/service";
import { noQuerySchema } from "@/lib/http/params";
import { privateJson } from "@/lib/http/respond";
import { otherMethods, parseJsonBody, parseQuery, route } from "@/lib/http/route";

// GET /api/admin/experiments — every A/B experiment, newest first, and which one runs; admins only
export const GET = route(async ({ request }) => {
  await requireAdmin();
  parseQuery(request, noQuerySchema);
  return privateJson(await listExperimentsForAdmin());
});

// POST /api/admin/experiments — start an experiment over two or more ready versions with a traffic split; admins only
export const POST = route(async ({ request }) => {
  const admin = await requireAdmin();
  parseQuery(request, noQuerySchema);
  const input = await parseJsonBody(request, createExperimentSchema);
  return privateJson(await createExperiment(input, { userId: admin.id, label: admin.email }), { status: 201 });
});

// Other methods: 405 with the error body and Allow.
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
