// GET /api/ping — the cheapest possible answer (no database): load-balancer checks and the
// baseline route of the API benchmark
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ ok: true }, { headers: { "cache-control": "no-store" } });
}
