import { signUp } from "@/lib/auth/accounts";
import { clientIp } from "@/lib/auth/limits";
import { signUpSchema } from "@/lib/auth/schemas";
import { noQuerySchema } from "@/lib/http/params";
import { privateJson } from "@/lib/http/respond";
import { otherMethods, parseJsonBody, parseQuery, route } from "@/lib/http/route";

// POST /api/auth/signup — create an email + password account (rate-limited; does not sign in)
export const POST = route(async ({ request }) => {
  parseQuery(request, noQuerySchema);
  const input = await parseJsonBody(request, signUpSchema);
  return privateJson({ user: await signUp(input, clientIp(request.headers)) }, { status: 201 });
});

// Other methods: 405 with the error body and Allow.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
