import { listGenresForApi } from "@/lib/catalog/api";
import { publicJson } from "@/lib/http/respond";
import { route } from "@/lib/http/route";

// GET /api/genres — every genre with its movie count
export const GET = route(async () => publicJson(await listGenresForApi(), 300), { rateLimit: "public" });
