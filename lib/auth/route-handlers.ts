import type { NextRequest } from "next/server";
import { ApiError, errorResponse } from "@/lib/http/errors";
import { clientIp, limitSignIn } from "./limits";
import { handlers } from "./next-auth";

async function submittedEmail(request: Request): Promise<unknown> {
  try {
    const copy = request.clone();
    const type = request.headers.get("content-type") ?? "";
    if (type.includes("application/json")) return ((await copy.json()) as { email?: unknown })?.email;
    return new URLSearchParams(await copy.text()).get("email");
  } catch {
    return undefined;
  }
}

export const handleAuthGet = (request: NextRequest) => handlers.GET(request);

/**
 * POST /api/auth/* — Auth.js, with password sign-ins (`/callback/credentials`) rate-limited
 * first: over the limit the API answers 429 with Retry-After instead of checking the password.
 */
export async function handleAuthPost(request: NextRequest): Promise<Response> {
  if (new URL(request.url).pathname.endsWith("/callback/credentials")) {
    try {
      await limitSignIn(await submittedEmail(request), clientIp(request.headers));
    } catch (err) {
      if (err instanceof ApiError) return errorResponse(err);
      throw err;
    }
  }
  return handlers.POST(request);
}
