import { ApiError } from "@/lib/http/errors";
import { pathOf, route } from "@/lib/http/route";

// Any /api path no route serves, /api itself included (the catch-all is optional): the standard 404
// error body instead of the HTML not-found page.
// (Routes that exist win over this catch-all.)
const notFound = route(({ request }) => {
  throw new ApiError("not_found", `No API route at ${pathOf(request.url)}`);
});

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const OPTIONS = notFound;
