import { exportAccountData } from "@/lib/account/settings";
import { requireUser } from "@/lib/auth";
import { ApiError } from "@/lib/http/errors";
import { noQuerySchema } from "@/lib/http/params";
import { otherMethods, parseQuery, route } from "@/lib/http/route";

// GET /api/me/export — the signed-in account's data as a JSON download (session only)
export const GET = route(async ({ request }) => {
  const user = await requireUser();
  parseQuery(request, noQuerySchema);
  const data = await exportAccountData(user.id);
  if (!data) throw new ApiError("unauthorized", "Sign in to continue.");
  return new Response(`${JSON.stringify(data, null, 2)}\n`, {
    headers: {
      "content-type": "application/json",
      "cache-control": "no-store",
      "content-disposition": `attachment; filename="matinee-account-${user.id}.json"`,
    },
  });
}, { rateLimit: "public" });

// Other methods: 405 with the error body and Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
