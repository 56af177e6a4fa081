import { handleAuthGet, handleAuthHead, handleAuthPost } from "@/lib/auth/route-handlers";
import { otherMethods } from "@/lib/http/route";

// GET /api/auth/* — Auth.js: session, csrf, providers, OAuth callbacks
export const GET = handleAuthGet;
export const HEAD = handleAuthHead;
// POST /api/auth/* — Auth.js: sign-in (password sign-ins rate-limited, 429 + Retry-After), sign-out
export const POST = handleAuthPost;

// Other methods: 405 with the error body and Allow.
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
