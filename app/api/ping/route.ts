import { otherMethods } from "@/lib/http/route";

// GET /api/ping — the cheapest possible answer (no database): load-balancer checks and the
// baseline route of the API benchmark
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ ok: true }, { headers: { "cache-control": "no-store" } });
}

// Other methods: 405 with the error body and Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
