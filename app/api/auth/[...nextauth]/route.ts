import { authOtherMethods, handleAuthGet, handleAuthHead, handleAuthOptions, handleAuthPost } from "@/lib/auth/route-handlers";

// GET /api/auth/* — Auth.js: session, csrf, providers, OAuth callbacks
export const GET = handleAuthGet;
export const HEAD = handleAuthHead;
// POST /api/auth/* — Auth.js: sign-in (password sign-ins rate-limited, 429 + Retry-After), sign-out
export const POST = handleAuthPost;

// Other methods: 405 with the error body and Allow; so is GET or POST for an action served
// without it (POST /api/auth/csrf). OPTIONS: the methods of the action asked about.
export const OPTIONS = handleAuthOptions;
export const { PUT, PATCH, DELETE } = authOtherMethods;
