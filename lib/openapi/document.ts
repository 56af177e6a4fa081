import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import {
  apiMovieSchema,
  genresResponseSchema,
  movieListQuerySchema,
  movieListResponseSchema,
  popularQuerySchema,
  popularResponseSchema,
} from "@/lib/catalog/api";
import { movieIdSchema } from "@/lib/catalog/schemas";
import { accountExportSchema } from "@/lib/account/schemas";
import { apiKeyIdParamsSchema, apiKeyListSchema, createApiKeySchema, createdApiKeySchema, revokedApiKeySchema } from "@/lib/apikeys/schemas";
import { signUpSchema } from "@/lib/auth/schemas";
import { errorBodySchema } from "@/lib/http/errors";
import { noBodySchema } from "@/lib/http/params";
import { interactionBodySchema, interactionDeleteQuerySchema, interactionDeletedSchema, interactionResponseSchema } from "@/lib/interactions/api";
import {
  clickResultSchema,
  createExperimentSchema,
  experimentIdParamsSchema,
  experimentListSchema,
  experimentReportSchema,
  experimentSchema,
  recordClickSchema,
  stopExperimentSchema,
  stopResultSchema,
} from "@/lib/experiments/schemas";
import { enqueueJobSchema, jobDetailSchema, jobIdParamsSchema, jobListQuerySchema, jobListSchema, jobSchema } from "@/lib/jobs/schemas";
import { modelIdParamsSchema, rollbackRequestSchema, servingSwitchSchema } from "@/lib/mlops/actions";
import { modelListQuerySchema, modelListResponseSchema } from "@/lib/mlops/api";
import { runComparisonSchema, runCompareQuerySchema, runListQuerySchema, runListSchema } from "@/lib/mlops/runs";
import {
  batchRequestSchema,
  batchResponseSchema,
  recommendationResponseSchema,
  recommendPathQuerySchema,
  recommendQuerySchema,
  similarQuerySchema,
  userIdSchema,
} from "@/lib/recs/schemas";
import pkg from "@/package.json";

// The OpenAPI 3.1 description, generated from the same zod schemas the handlers validate with.
// Every route under app/api registers here; tests/api/openapi.test.ts checks that none is missing.

const json = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });

/** 503 when the database cannot be used (every operation that reads or writes it). */
const DATABASE_UNAVAILABLE_503 =
  "The database is unavailable (an outage, or a locked, full or unreadable database file): `not_ready`, with Retry-After; retry then";

/** Any operation that reads the database (or anything else that can fail): the database unavailable, or an unexpected failure. */
const serverError = {
  500: json(errorBodySchema, "Unexpected server error (no internals are exposed)"),
  503: {
    ...json(errorBodySchema, DATABASE_UNAVAILABLE_503),
    headers: { "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer", minimum: 1 } } },
  },
} as const;

/** Any operation that takes input: bad input, or an unexpected failure. */
const unlimitedErrors = {
  400: json(errorBodySchema, "Invalid input; `details.fields` lists the problems per field (a query parameter or a key of a JSON body's object that the operation does not take: `unknown field`; one given twice: `must be given at most once`)"),
  ...serverError,
} as const;

/** An operation that takes no input refuses any query parameter (noQuerySchema) rather than ignoring it. */
const NO_QUERY_400 = "A query parameter was given, and this operation takes none (`details.fields` names it: `unknown field`)";
const noQueryError = { 400: json(errorBodySchema, NO_QUERY_400) } as const;

/** Operations under a rate limit (the public API limit, or sign-up's). Admin operations have none. */
const errorResponses = {
  ...unlimitedErrors,
  429: {
    ...json(errorBodySchema, "Rate limited; see Retry-After"),
    headers: {
      "Retry-After": { description: "Seconds until the window resets", schema: { type: "integer", minimum: 1 } },
      RateLimit: {
        description: 'What is left, as the IETF draft writes it: `"<policy>";r=0;t=<seconds to reset>` (policy `api` for the public API limit, `signup` or `signup-ip` for sign-up\'s)',
        schema: { type: "string" },
      },
      "RateLimit-Policy": { description: 'The limit: `"<policy>";q=<requests>;w=<window seconds>`', schema: { type: "string" } },
    },
  },
} as const;

/** Every operation that reads a JSON body (parseJsonBody) can refuse it with these. */
const bodyErrors = {
  413: json(errorBodySchema, "Body larger than 64 KB"),
  415: json(errorBodySchema, "Body is not application/json"),
} as const;

/** A POST that takes no input at all: no query parameter, no body but `{}` (expectNoBody). */
const noInputPostErrors = {
  400: json(errorBodySchema, "A query parameter, or a body other than `{}`, was given: this operation takes none (`details.fields` names it: `unknown field`)"),
  ...bodyErrors,
} as const;

/** The recommendation reads when the deployment sets RECOMMEND_ACCESS=private. */
const privateReadErrors = {
  401: json(errorBodySchema, "Only with `RECOMMEND_ACCESS=private`: no session and no valid API key"),
  403: json(errorBodySchema, "Only with `RECOMMEND_ACCESS=private`: a signed-in user asking for another user's recommendations"),
} as const;

/** An operation that takes no input: a body other than `{}` is refused, not ignored (expectNoBody). */
const noBody = {
  required: false,
  description: "Leave it out (an empty body, whatever its content-type) or send `{}`; anything else is refused with 400 (415 when not JSON)",
  content: { "application/json": { schema: noBodySchema } },
};

const adminErrors = {
  401: json(errorBodySchema, "Not signed in"),
  403: json(errorBodySchema, "Signed in, but not an admin"),
} as const;

const cronResultSchema = z
  .object({ queued: z.boolean(), jobId: z.number().int().optional(), reason: z.string() })
  .meta({ id: "CronResult" });

export const healthSchema = z
  .object({
    status: z.enum(["ok", "error"]),
    db: z.enum(["ok", "unreachable"]),
    catalogSize: z.number().int().nullable(),
    version: z.string(),
  })
  .meta({ id: "Health" });

export const readinessSchema = z
  .object({
    ready: z.boolean(),
    db: z.enum(["ok", "unreachable"]),
    servingModelVersion: z.number().int().nullable(),
    reason: z.string().optional(),
  })
  .meta({ id: "Readiness" });

const similarResponseSchema = z
  .object({
    movieId: z.number().int(),
    modelVersion: z.number().int().nullable(),
    source: z.enum(["model", "popular"]),
    items: recommendationResponseSchema.shape.items,
  })
  .meta({ id: "SimilarMovies" });

export const movieIdPathSchema = z.object({ id: movieIdSchema.meta({ description: "TMDB movie id" }) });

type PathSpec = Omit<RouteConfig, "responses"> & { responses: RouteConfig["responses"] };

// ---------------------------------------------------------------------------------------------
// Auth.js's own endpoints: what app/api/auth/[...nextauth]/route.ts serves, as an integrator
// uses them. Auth.js (next-auth v5) answers them itself, through the route wrapper
// (lib/auth/route-handlers.ts): x-request-id on every answer, the 64 KB body limit, the password
// sign-in limit, and the app's error body for the answers the wrapper gives (400, 413, 429, 500)
// or converts (Auth.js's own JSON errors). The rest is Auth.js's: sign-in outcomes, failures
// included, are 302 redirects with cookies. Each answer here was observed with curl against
// `next start` (docs/auth.md, "Auth.js's endpoints in the API reference"), but two of the OAuth
// callback's, which need a real provider: its success, and AccessDenied (from our signIn callback
// refusing an unverified email, lib/auth/config.ts). Left out: Auth.js's HTML pages
// (GET /api/auth/signin, /error, /verify-request, /signout: redirects to the app's /signin and
// /signout pages, lib/auth/config.ts's `pages`), and POST /api/auth/session (a session update the
// app never makes).

/** The tag of Auth.js's own operations (documented, but not held to the app's contract). */
export const AUTH_JS_TAG = "Auth.js";

const AUTH_JS_NOTE =
  "**Auth.js's own endpoint** (next-auth v5, served by the catch-all `/api/auth/[...nextauth]`), not one of the app's: it does not follow the app's contract. " +
  "Its answers, failures included, are mostly `302` redirects with cookies rather than the `{ error: { code, message } }` body (which comes only with the statuses listed with that schema here); " +
  "it ignores query parameters and body fields it does not read rather than refusing them; " +
  "and a POST is protected by Auth.js's CSRF token (`GET /api/auth/csrf`), not by the app's cross-site `403`.";

const COOKIE_HEADER = {
  description:
    "Auth.js's cookies, each `HttpOnly; SameSite=Lax; Path=/`; over HTTPS the names carry a `__Secure-` prefix (the CSRF cookie `__Host-`). A cookie jar that keeps them is all a client needs",
  schema: { type: "string" as const },
};

/** An Auth.js redirect: where to (Location), and the cookies it sets or clears. */
const redirect = (description: string, location: string) => ({
  description,
  headers: { Location: { description: location, schema: { type: "string" as const } }, "Set-Cookie": COOKIE_HEADER },
});

const authJsBodyTooLarge = { 413: json(errorBodySchema, "Body larger than 64 KB (the app's route wrapper, before Auth.js reads it)") } as const;

const csrfTokenField = z.string().meta({
  description: "The token from `GET /api/auth/csrf`; the request must also carry the CSRF cookie that answer set (else: `302` to `/signin?error=MissingCSRF`)",
});
const callbackUrlField = z.string().optional().meta({
  description:
    "Where to redirect afterwards: a path (`/movies`) or a URL on the app's own address. A URL on another origin is replaced by the app's address. Left out: the URL in the `authjs.callback-url` cookie, which Auth.js sets to the app's address, or to the last `callbackUrl` a request gave",
});

/** A form post, as a browser sends it; Auth.js reads a JSON body with the same fields too. */
const formBody = (schema: z.ZodType) => ({
  required: true,
  content: { "application/x-www-form-urlencoded": { schema }, "application/json": { schema } },
});

const authSessionSchema = z
  .object({
    user: z.object({
      id: z.string().meta({ description: "The account's `users.id`, as a decimal string" }),
      role: z.enum(["user", "admin"]).meta({ description: "The role when it signed in (not re-read: the app's own routes read it fresh)" }),
      sv: z.number().int().min(0).meta({ description: "The account's session version when it signed in" }),
      sid: z
        .string()
        .optional()
        .meta({ description: "This session's id, drawn when it signed in: signing out records it, so a copy of the cookie reads as signed out. Absent for a session signed in before sessions had one" }),
    }),
    expires: z.string().meta({ description: "When the session cookie expires (ISO 8601); each read of this endpoint renews it to 30 days" }),
  })
  .meta({ id: "AuthSession", description: "Only ids and the role: no email or name" });

const authProviderSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.enum(["credentials", "oauth", "oidc"]),
    signinUrl: z.string().meta({ description: "Absolute URL on the app's address" }),
    callbackUrl: z.string().meta({ description: "Absolute URL on the app's address (for OAuth: the redirect URI to register with the provider)" }),
  })
  .meta({ id: "AuthProvider" });

const oauthProviderParams = z.object({
  provider: z.enum(["github", "google"]).meta({ description: "An OAuth provider, when configured (`GET /api/auth/providers` lists them)" }),
});

const SIGN_IN_429 = {
  ...json(errorBodySchema, "Too many failed password sign-ins for this email from this address (10 in 10 minutes), or for this email from anywhere (50); the password was not checked"),
  headers: {
    "Retry-After": { description: "Seconds until the window resets", schema: { type: "integer", minimum: 1 } },
    RateLimit: { description: '`"signin";r=0;t=<seconds to reset>` (or `"signin-email"`)', schema: { type: "string" } },
    "RateLimit-Policy": { description: '`"signin";q=10;w=600` (or `"signin-email";q=50;w=600`)', schema: { type: "string" } },
  },
} as const;

const authJsOperations: PathSpec[] = [
  {
    method: "get",
    path: "/api/auth/session",
    summary: "The session Auth.js holds for the session cookie (ids and role only), or null",
    description:
      "The session as its token was issued at sign-in, checked against the account as the app's own routes check it: a session they no longer accept (signed out, the account's password changed since, it signed out of every device, or the account was deleted) is `null` here too, and its cookie is cleared. " +
      "Signed in, the answer renews the session cookie (30 days from now). " +
      AUTH_JS_NOTE,
    tags: [AUTH_JS_TAG],
    security: [{}, { session: [] }],
    responses: {
      200: {
        ...json(
          z.union([authSessionSchema, z.null()]),
          "Signed in: the session. Signed out (no session cookie, one that does not decrypt, or one the app no longer accepts: signed out, password changed, signed out of every device, account deleted; each then cleared): `null`",
        ),
        headers: { "Set-Cookie": COOKIE_HEADER },
      },
      503: {
        ...json(errorBodySchema, "A session cookie came, and the database could not be read to check its account (`not_ready`, with Retry-After; the cookie is kept)"),
        headers: errorResponses[503].headers,
      },
    },
  },
  {
    method: "get",
    path: "/api/auth/csrf",
    summary: "A CSRF token for Auth.js's POSTs (sign-in, sign-out)",
    description: `Sets the CSRF cookie (\`authjs.csrf-token\`, over HTTPS \`__Host-authjs.csrf-token\`) that goes with the token: send both. ${AUTH_JS_NOTE}`,
    tags: [AUTH_JS_TAG],
    responses: {
      200: { ...json(z.object({ csrfToken: z.string() }).meta({ id: "AuthCsrfToken" }), "The token"), headers: { "Set-Cookie": COOKIE_HEADER } },
    },
  },
  {
    method: "get",
    path: "/api/auth/providers",
    summary: "The configured sign-in providers",
    description: `Always \`credentials\` (email + password); \`github\` and \`google\` when configured. ${AUTH_JS_NOTE}`,
    tags: [AUTH_JS_TAG],
    responses: {
      200: json(
        z.object({ credentials: authProviderSchema, github: authProviderSchema.optional(), google: authProviderSchema.optional() }).meta({ id: "AuthProviders" }),
        "Providers by id",
      ),
    },
  },
  {
    method: "post",
    path: "/api/auth/callback/credentials",
    summary: "Sign in with email and password (sets the session cookie)",
    description:
      "Send the CSRF cookie and token from `GET /api/auth/csrf`. Success and failure are both a `302`: tell them apart by `Location` (the `callbackUrl`, or `/signin?error=…`) or by whether the session cookie was set. " +
      "The session cookie (`authjs.session-token`, over HTTPS `__Secure-authjs.session-token`; 30 days) is the `session` credential the app's routes take; for scripts, an API key is the simpler credential where an operation takes one. " +
      `Password sign-ins are rate-limited before the password is checked (a right password does not count). ${AUTH_JS_NOTE}`,
    tags: [AUTH_JS_TAG],
    request: {
      body: formBody(
        z
          .object({
            email: z.string(),
            password: z.string(),
            csrfToken: csrfTokenField,
            callbackUrl: callbackUrlField,
          })
          .meta({ id: "AuthCredentialsSignIn" }),
      ),
    },
    responses: {
      302: redirect(
        "Signed in: `Set-Cookie` has the session cookie and `Location` is the `callbackUrl`. " +
          "Not signed in (a wrong password, an unknown email, an account without a password, a malformed email alike): `Location: /signin?error=CredentialsSignin&code=credentials` and no session cookie. " +
          "No CSRF cookie, or a token that does not match it: `Location: /signin?error=MissingCSRF`",
        "The `callbackUrl` (absolute), or the sign-in page with `?error=`",
      ),
      400: json(errorBodySchema, "A field given twice (`details.fields.<name>: [\"must be given at most once\"]`): the rate limit counts the email Auth.js would check"),
      ...authJsBodyTooLarge,
      429: SIGN_IN_429,
      ...serverError,
    },
  },
  {
    method: "post",
    path: "/api/auth/signout",
    summary: "Sign out: clear the session cookie and refuse its copies",
    description:
      "Clears this browser's session cookie and records the session as signed out, so a copy of its cookie kept elsewhere is refused from then on, on every app instance (a session signed in before sessions had an id, `sid`, cannot be recorded: a password change or signing out of every device ends its copies). " +
      AUTH_JS_NOTE,
    tags: [AUTH_JS_TAG],
    security: [{}, { session: [] }],
    request: { body: formBody(z.object({ csrfToken: csrfTokenField, callbackUrl: callbackUrlField }).meta({ id: "AuthSignOut" })) },
    responses: {
      302: redirect(
        "Signed out: `Set-Cookie: authjs.session-token=; Max-Age=0` and `Location` the `callbackUrl` (also when there was no session). No CSRF cookie, or a token that does not match it: `Location: /signin?error=MissingCSRF`, and the session cookie is left as it was",
        "The `callbackUrl` (absolute), or the sign-in page with `?error=MissingCSRF`",
      ),
      ...authJsBodyTooLarge,
    },
  },
  {
    method: "post",
    path: "/api/auth/signin/{provider}",
    summary: "Start an OAuth sign-in (a browser redirect to the provider)",
    description:
      "For a browser: a form post to here sends it to the provider, which sends it back to `GET /api/auth/callback/{provider}`. " +
      "`GET` on this path does not start a sign-in (it redirects to `/signin?error=Configuration`). " +
      AUTH_JS_NOTE,
    tags: [AUTH_JS_TAG],
    request: { params: oauthProviderParams, body: formBody(z.object({ csrfToken: csrfTokenField, callbackUrl: callbackUrlField }).meta({ id: "AuthOAuthSignIn" })) },
    responses: {
      302: redirect(
        "Configured provider: `Location` is its authorization URL (with `redirect_uri` = `<app>/api/auth/callback/{provider}` and a PKCE challenge), and `Set-Cookie` has the PKCE verifier and the callback URL, which the callback checks. " +
          "A provider that is not configured: `/signin?error=Configuration`. No CSRF cookie, or a token that does not match it: `/signin?error=MissingCSRF`",
        "The provider's authorization URL, or the sign-in page with `?error=`",
      ),
      ...authJsBodyTooLarge,
    },
  },
  {
    method: "get",
    path: "/api/auth/callback/{provider}",
    summary: "Where the OAuth provider sends the browser back (the redirect URI to register)",
    description:
      "Called by the browser on the provider's redirect, with the provider's `code` and `state` (or `error`) in the query; not for an API client. " +
      "An OAuth sign-in is linked by email to the account with that address, and refused unless the provider vouches for the address (docs/auth.md). " +
      AUTH_JS_NOTE,
    tags: [AUTH_JS_TAG],
    request: { params: oauthProviderParams },
    responses: {
      302: redirect(
        "Signed in: the session cookie and `Location` the `callbackUrl` the sign-in started with. " +
          "Refused: `Location: /signin?error=…`: `OAuthCallbackError` when the provider answered with an error (the person declined), `AccessDenied` when it does not vouch for the email, " +
          "`Configuration` when the callback cannot be verified or completed (missing or wrong PKCE cookie, code exchange failed, provider not configured)",
        "The `callbackUrl`, or the sign-in page with `?error=`",
      ),
    },
  },
];

/** All documented operations. Other modules append theirs with `registerOperations`. */
const operations: PathSpec[] = [
  {
    method: "get",
    path: "/api/health",
    summary: "Liveness: the process answers and the database is reachable",
    tags: ["operations"],
    responses: { 200: json(healthSchema, "Healthy"), ...noQueryError, 503: json(healthSchema, "Database unreachable") },
  },
  {
    method: "get",
    path: "/api/movies",
    summary: "Search the catalog by title with genre and year filters, sorted and paginated",
    tags: ["catalog"],
    request: { query: movieListQuerySchema },
    responses: { 200: json(movieListResponseSchema, "A page of movies"), ...errorResponses },
  },
  {
    method: "get",
    path: "/api/movies/{id}",
    summary: "One movie's facts",
    tags: ["catalog"],
    request: { params: movieIdPathSchema },
    responses: { 200: json(apiMovieSchema, "The movie"), 404: json(errorBodySchema, "Unknown movie"), ...errorResponses },
  },
  {
    method: "get",
    path: "/api/popular",
    summary: "The most popular movies, optionally within one genre",
    tags: ["catalog"],
    request: { query: popularQuerySchema },
    responses: { 200: json(popularResponseSchema, "Popular movies"), ...errorResponses },
  },
  {
    method: "get",
    path: "/api/genres",
    summary: "Every genre with its number of movies",
    tags: ["catalog"],
    responses: { 200: json(genresResponseSchema, "Genres"), ...errorResponses, ...noQueryError },
  },
  {
    method: "get",
    path: "/api/posters/{id}",
    summary: "Generated SVG poster for a movie (used when TMDB has none or is unreachable)",
    tags: ["catalog"],
    request: { params: movieIdPathSchema },
    responses: {
      200: { description: "SVG image", content: { "image/svg+xml": { schema: z.string() } } },
      404: json(errorBodySchema, "Unknown movie"),
      ...unlimitedErrors,
    },
  },
  {
    method: "get",
    path: "/api/ping",
    summary: "Cheapest liveness answer (no database): for load balancers",
    description: "The API benchmark's baseline, so it reads nothing of the request: unlike every other operation, it ignores a query string rather than refusing it.",
    tags: ["operations"],
    responses: { 200: json(z.object({ ok: z.literal(true) }), "Alive") },
  },
  {
    method: "get",
    path: "/api/health/ready",
    summary: "Readiness: database reachable and a serving model loaded",
    tags: ["operations"],
    responses: {
      200: json(readinessSchema, "Ready"),
      ...noQueryError,
      503: json(readinessSchema, "Not ready (no serving model yet, or database unreachable)"),
    },
  },
  {
    method: "get",
    path: "/api/recommend",
    summary: "Top-k movies for a user",
    description:
      "Served from the precomputed cache of the serving model (`source: model`); folded in from the item-neighbour cache when the user acted after training, or when `genre` / `exclude` leave fewer than k of the cached list (`folded_in`); popular picks for users the model does not know and for those with nothing to fold in from (a film rated below 2.5 stars is no reason to show films like it) (`popular`); random picks if even that fails (`random`). Popular and random lists are scored 1/rank (1, 0.5, 0.333…). A list shorter than k (the cache keeps each user's top 50) is topped up with popular movies the user has not seen, after the rest, with reason `popular` and score 0. While an A/B experiment runs, the user's arm serves (`experiment`); the list is counted as shown to the user (an impression in the experiment's report) only when the request comes with an API key or from that user's own session, never for an anonymous call.",
    tags: ["recommendations"],
    request: { query: recommendQuerySchema },
    security: [{}, { apiKey: [] }, { session: [] }],
    responses: { 200: json(recommendationResponseSchema, "Recommendations"), ...privateReadErrors, ...errorResponses },
  },
  {
    method: "get",
    path: "/api/recommend/{userId}",
    summary: "Top-k movies for a user (path form of /api/recommend)",
    tags: ["recommendations"],
    request: { params: z.object({ userId: userIdSchema }), query: recommendPathQuerySchema },
    security: [{}, { apiKey: [] }, { session: [] }],
    responses: { 200: json(recommendationResponseSchema, "Recommendations"), ...privateReadErrors, ...errorResponses },
  },
  {
    method: "post",
    path: "/api/recommend/batch",
    summary: "Recommendations for up to 1000 users in one call",
    description:
      "Counted against the public API limit as one request per distinct user id (a batch of 300 users uses 300 of `API_RATE_LIMIT`); a batch larger than what is left is refused with 429. During an A/B experiment a list is counted as an impression only with an API key, or for the signed-in user's own id (as for /api/recommend), never for an anonymous call.",
    tags: ["recommendations"],
    security: [{}, { apiKey: [] }, { session: [] }],
    request: { body: { required: true, content: { "application/json": { schema: batchRequestSchema } } } },
    responses: {
      200: json(batchResponseSchema, "One result per distinct user id"),
      413: json(errorBodySchema, "Body larger than 64 KB"),
      415: json(errorBodySchema, "Body is not application/json"),
      ...privateReadErrors,
      ...errorResponses,
    },
  },
  {
    method: "delete",
    path: "/api/interactions",
    summary: "Take a signal back: clear a rating, a watch, a like or a watchlist entry",
    description: "Signed-in users remove their own; API consumers send an API key and name the `userId`.",
    tags: ["interactions"],
    security: [{ apiKey: [] }, { session: [] }],
    request: { query: interactionDeleteQuerySchema, body: noBody },
    responses: {
      200: json(interactionDeletedSchema, "Removed, or there was nothing to remove (`removed: false`)"),
      ...bodyErrors,
      401: json(errorBodySchema, "Neither a session nor a valid API key"),
      403: json(errorBodySchema, "A signed-in user tried to remove someone else's signal"),
      ...errorResponses,
    },
  },
  {
    method: "post",
    path: "/api/recommend/clicks",
    summary: "Report that a user opened a recommended movie (counted for the running A/B experiment's report)",
    description:
      "Counted once per user and movie, and only when the running experiment showed that movie to that user; otherwise answers `counted: false` and writes nothing. Signed-in users report for themselves; API consumers send an API key and name the `userId`.",
    tags: ["recommendations"],
    security: [{ apiKey: [] }, { session: [] }],
    request: { body: { required: true, content: { "application/json": { schema: recordClickSchema } } } },
    responses: {
      200: json(clickResultSchema, "Recorded (or not counted, see `counted`)"),
      401: json(errorBodySchema, "Neither a session nor a valid API key"),
      403: json(errorBodySchema, "A signed-in user tried to report for someone else"),
      413: json(errorBodySchema, "Body larger than 64 KB"),
      415: json(errorBodySchema, "Body is not application/json"),
      ...errorResponses,
    },
  },
  {
    method: "get",
    path: "/api/movies/{id}/similar",
    summary: "Movies similar to this one: its series, then the serving model's item-neighbour cache",
    description:
      "The films of its series first, told by their titles and sharing a genre with it, oldest first (reason `same_series`; score: their cached similarity, 0 when they are not neighbours). Then its cached neighbours (50 per movie by default; reason `similar_to`), ranked by their similarity weighted by the genres the two films share (score = their cached similarity, cosine shrunk for films few users share, × (0.5 + shared genres / all their genres)). `source: model` when the list holds any of these. Topped up to k with popular films of its main genre (reason `popular`, score 0); only those when it has neither (`source: popular`, each scored 1/rank: 1, 0.5, 0.333…).",
    tags: ["recommendations"],
    request: { params: movieIdPathSchema, query: similarQuerySchema },
    responses: { 200: json(similarResponseSchema, "Similar movies"), 404: json(errorBodySchema, "Unknown movie"), ...errorResponses },
  },
  {
    method: "get",
    path: "/api/models",
    summary: "Model versions with their metrics, and which one serves",
    description: "Newest first, `limit` at a time (default and at most 100); follow `nextBefore` for older versions.",
    tags: ["models"],
    request: { query: modelListQuerySchema },
    responses: { 200: json(modelListResponseSchema, "Model versions, newest first"), ...errorResponses },
  },
  {
    method: "post",
    path: "/api/interactions",
    summary: "Record a rating, watch, like or watchlist change",
    description:
      "Signed-in users record for themselves (session cookie); API consumers send an API key and name the `userId`. A signed-in user's `watch` also takes the film off their watchlist (an API key's `watch` is recorded as sent and leaves the watchlist alone).",
    tags: ["interactions"],
    security: [{ apiKey: [] }, { session: [] }],
    request: { body: { required: true, content: { "application/json": { schema: interactionBodySchema } } } },
    responses: {
      201: json(interactionResponseSchema, "Recorded (the latest state of that signal)"),
      401: json(errorBodySchema, "Neither a session nor a valid API key"),
      403: json(errorBodySchema, "A signed-in user tried to write for someone else"),
      404: json(errorBodySchema, "Unknown user or movie"),
      413: json(errorBodySchema, "Body larger than 64 KB"),
      415: json(errorBodySchema, "Body is not application/json"),
      ...errorResponses,
      503: {
        ...json(errorBodySchema, `${DATABASE_UNAVAILABLE_503}. Also: interactions cannot be written until an unfinished \`npm run simulate -- --scale\` bulk load is finished (not_ready, without Retry-After)`),
        headers: errorResponses[503].headers,
      },
    },
  },
  {
    method: "get",
    path: "/api/me/export",
    summary: "The signed-in account's data as a JSON download (session only)",
    description:
      "The account and every rating, watch, like and watchlist entry, oldest first, with `Content-Disposition: attachment`. The account page (`/me/account`) links to it; changing the password and deleting the account are on that page.",
    tags: ["accounts"],
    responses: {
      200: { ...json(accountExportSchema, "The account's data"), headers: { "Content-Disposition": { description: 'attachment; filename="matinee-account-<id>.json"', schema: { type: "string" } } } },
      401: json(errorBodySchema, "Not signed in"),
      ...errorResponses,
      ...noQueryError,
    },
  },
  {
    method: "post",
    path: "/api/auth/signup",
    summary: "Create an email + password account (does not sign in; use next-auth's sign-in)",
    tags: ["accounts"],
    request: { body: { required: true, content: { "application/json": { schema: signUpSchema.meta({ id: "SignUpRequest" }) } } } },
    responses: {
      201: json(z.object({ user: z.object({ id: z.number().int(), email: z.string(), name: z.string().nullable(), role: z.enum(["user", "admin"]) }) }), "Account created"),
      409: json(errorBodySchema, "Could not create the account (generic, no enumeration)"),
      ...bodyErrors,
      ...errorResponses,
    },
  },
  {
    method: "get",
    path: "/api/admin/api-keys",
    summary: "List API keys (admin only; never shows the key itself)",
    tags: ["admin"],
    responses: { 200: json(apiKeyListSchema, "API keys"), ...noQueryError, ...adminErrors, ...serverError },
  },
  {
    method: "post",
    path: "/api/admin/api-keys",
    summary: "Create an API key (admin only); the key is shown once in this response",
    tags: ["admin"],
    request: { body: { required: true, content: { "application/json": { schema: createApiKeySchema } } } },
    responses: { 201: json(createdApiKeySchema, "The new key"), ...bodyErrors, ...adminErrors, ...unlimitedErrors },
  },
  {
    method: "delete",
    path: "/api/admin/api-keys/{id}",
    summary: "Revoke an API key (admin only)",
    tags: ["admin"],
    request: { params: apiKeyIdParamsSchema, body: noBody },
    responses: { 200: json(revokedApiKeySchema, "The revoked key (`apiKey`)"), 404: json(errorBodySchema, "Unknown key"), ...bodyErrors, ...adminErrors, ...unlimitedErrors },
  },
  {
    method: "get",
    path: "/api/admin/jobs",
    summary: "Recent background jobs (crawl, simulate, import, train), newest first (admin only)",
    tags: ["admin"],
    request: { query: jobListQuerySchema },
    responses: { 200: json(jobListSchema, "Jobs"), ...adminErrors, ...unlimitedErrors },
  },
  {
    method: "post",
    path: "/api/admin/jobs",
    summary: "Queue a crawl, simulation or retraining and start a worker process for it (admin only)",
    description:
      "The job runs outside the request; poll `GET /api/admin/jobs/{id}` for progress. One job of a kind at a time: 409 while another is queued or running.",
    tags: ["admin"],
    request: { body: { required: true, content: { "application/json": { schema: enqueueJobSchema } } } },
    responses: {
      202: json(z.object({ job: jobSchema }), "Queued"),
      409: json(errorBodySchema, "A job of that kind is already queued or running (`details.jobId`)"),
      413: json(errorBodySchema, "Body larger than 64 KB"),
      415: json(errorBodySchema, "Body is not application/json"),
      ...adminErrors,
      ...unlimitedErrors,
    },
  },
  {
    method: "get",
    path: "/api/admin/jobs/{id}",
    summary: "One job: status, progress, message, stats and the end of its log (admin only)",
    tags: ["admin"],
    request: { params: jobIdParamsSchema },
    responses: { 200: json(z.object({ job: jobDetailSchema }), "The job"), 404: json(errorBodySchema, "Unknown job"), ...adminErrors, ...unlimitedErrors },
  },
  {
    method: "post",
    path: "/api/admin/jobs/{id}/cancel",
    summary: "Cancel a queued job, or stop a running one (admin only)",
    description:
      "A queued job is cancelled at once. A running one on the host of the app instance that gets this request is stopped as `kill <worker pid>` would stop it: SIGTERM to the process running it, which must run a job script. " +
      "A crawl or a simulation in a worker then stops after its current page or batch, recording `cancelled` itself (202: poll `GET /api/admin/jobs/{id}`; asked again, it is not signalled twice; re-running resumes them); so does `npm run crawl`; training, or another job run from the command line, ends at once and is recorded `cancelled` here (200), a training run's half-written version cleaned up. " +
      "A running one on another host (no signal reaches it) is asked through its row (202): a crawl or simulation stops after its page or batch, a training run's process ends within one heartbeat (10 s), and the job reads `cancelled` once its heartbeat has been quiet for 30 s. The job's log says who cancelled it.",
    tags: ["admin"],
    request: { params: jobIdParamsSchema, body: noBody },
    responses: {
      200: json(z.object({ outcome: z.literal("cancelled"), job: jobDetailSchema }), "Cancelled: the job as it is now"),
      202: json(z.object({ outcome: z.literal("stopping"), job: jobDetailSchema }), "Its process was told to stop; the job records `cancelled` when it has"),
      404: json(errorBodySchema, "Unknown job"),
      409: json(errorBodySchema, "Already finished, or its recorded process on this host runs no job script"),
      ...bodyErrors,
      ...adminErrors,
      ...unlimitedErrors,
    },
  },
  {
    method: "post",
    path: "/api/admin/models/{id}/promote",
    summary: "Make a ready model version the serving one; recorded with who and when (admin only)",
    tags: ["admin"],
    request: { params: modelIdParamsSchema, body: noBody },
    responses: {
      200: json(servingSwitchSchema, "Now serving"),
      404: json(errorBodySchema, "Unknown version"),
      409: json(errorBodySchema, "Not ready, already serving, or its cache was pruned"),
      ...bodyErrors,
      ...adminErrors,
      ...unlimitedErrors,
    },
  },
  {
    method: "post",
    path: "/api/admin/models/rollback",
    summary: "Serve the previous production version again (instant, its cache is kept); recorded (admin only)",
    description:
      "The target is the version that most recently stopped serving, still ready and cached, skipping versions that were rolled back away from. Send `{ \"to\": N }` with the target your page showed, so a rollback after someone else switched versions is refused instead of serving another version.",
    tags: ["admin"],
    request: { body: { required: false, description: "May be left out (an empty body, whatever its content-type): the same as `{}`", content: { "application/json": { schema: rollbackRequestSchema } } } },
    responses: {
      200: json(servingSwitchSchema, "Now serving"),
      409: json(errorBodySchema, "Nothing serves, no earlier production version still has its cache, the target is not `to`, or another switch came first"),
      ...bodyErrors,
      ...adminErrors,
      ...unlimitedErrors,
    },
  },
  {
    method: "get",
    path: "/api/admin/experiments",
    summary: "A/B experiments, newest first, and which one runs (admin only)",
    tags: ["admin"],
    responses: { 200: json(experimentListSchema, "Experiments"), ...noQueryError, ...adminErrors, ...serverError },
  },
  {
    method: "post",
    path: "/api/admin/experiments",
    summary: "Start an A/B experiment: two to four ready model versions with a traffic split in percent; the first arm is the control (admin only)",
    description: "Users are assigned to arms by a hash of (experiment id, user id), so the same user always gets the same arm. One experiment runs at a time.",
    tags: ["admin"],
    request: { body: { required: true, content: { "application/json": { schema: createExperimentSchema } } } },
    responses: {
      201: json(experimentSchema, "Started"),
      404: json(errorBodySchema, "Unknown model version"),
      409: json(errorBodySchema, "An experiment is already running, or a version is not ready or lost its cache"),
      413: json(errorBodySchema, "Body larger than 64 KB"),
      415: json(errorBodySchema, "Body is not application/json"),
      ...adminErrors,
      ...unlimitedErrors,
    },
  },
  {
    method: "get",
    path: "/api/admin/experiments/{id}",
    summary: "Experiment report: per arm impressions, clicks, CTR and watch rate with 95% Wilson intervals, z-tests against the control (admin only)",
    tags: ["admin"],
    request: { params: experimentIdParamsSchema },
    responses: { 200: json(experimentReportSchema, "The report"), 404: json(errorBodySchema, "Unknown experiment"), ...adminErrors, ...unlimitedErrors },
  },
  {
    method: "post",
    path: "/api/admin/experiments/{id}/stop",
    summary: "Stop a running experiment; with `promoteArm`, make that arm's version the serving one (recorded in the model audit trail) (admin only)",
    tags: ["admin"],
    request: {
      params: experimentIdParamsSchema,
      body: { required: false, description: "May be left out (an empty body, whatever its content-type): the same as `{}`", content: { "application/json": { schema: stopExperimentSchema } } },
    },
    responses: {
      200: json(stopResultSchema, "Stopped"),
      404: json(errorBodySchema, "Unknown experiment"),
      409: json(errorBodySchema, "Already stopped, or the arm's version cannot be promoted"),
      ...bodyErrors,
      ...adminErrors,
      ...unlimitedErrors,
    },
  },
  {
    method: "get",
    path: "/api/admin/runs",
    summary: "Training runs with parameters, metrics, data snapshot, duration, code version and status, newest first (admin only)",
    tags: ["admin"],
    request: { query: runListQuerySchema },
    responses: { 200: json(runListSchema, "Runs"), ...adminErrors, ...unlimitedErrors },
  },
  {
    method: "get",
    path: "/api/admin/runs/compare",
    summary: "Two or more runs side by side: parameter differences, metric, data and duration deltas against the first (admin only)",
    tags: ["admin"],
    request: { query: runCompareQuerySchema },
    responses: {
      200: json(runComparisonSchema, "The comparison"),
      404: json(errorBodySchema, "An unknown run id (`details.missing` lists them)"),
      ...adminErrors,
      ...unlimitedErrors,
    },
  },
  {
    method: "get",
    path: "/api/metrics",
    summary: "Prometheus metrics (requires `Authorization: Bearer $METRICS_TOKEN` when that is set)",
    tags: ["operations"],
    responses: {
      200: { description: "Prometheus text exposition format", content: { "text/plain": { schema: z.string() } } },
      ...noQueryError,
      401: json(errorBodySchema, "Missing or wrong bearer token"),
    },
  },
  ...(["get", "post"] as const).flatMap((method): PathSpec[] => [
    {
      method,
      path: "/api/cron/retrain",
      summary: "Queue a retrain when there are interactions newer than the serving model (bearer CRON_SECRET)",
      tags: ["operations"],
      ...(method === "post" ? { request: { body: noBody } } : {}),
      responses: {
        202: json(cronResultSchema, "Retrain queued"),
        200: json(cronResultSchema, "Skipped: no new data"),
        ...(method === "post" ? noInputPostErrors : noQueryError),
        401: json(errorBodySchema, "Missing/wrong secret, or CRON_SECRET not configured"),
        409: json(errorBodySchema, "A training job is already queued or running"),
        ...serverError,
      },
    },
    {
      method,
      path: "/api/cron/drift",
      summary: "Compute and record drift (PSI) against the serving model's training data; may queue a retrain",
      tags: ["operations"],
      ...(method === "post" ? { request: { body: noBody } } : {}),
      responses: {
        200: json(z.object({}).loose().meta({ id: "DriftReport" }), "The drift report"),
        ...(method === "post" ? noInputPostErrors : noQueryError),
        401: json(errorBodySchema, "Missing/wrong secret, or CRON_SECRET not configured"),
        ...serverError,
      },
    },
  ]),
  {
    method: "get",
    path: "/api/openapi.json",
    summary: "This document",
    tags: ["operations"],
    responses: { 200: { description: "OpenAPI 3.1 document", content: { "application/json": { schema: z.object({}).loose() } } }, ...noQueryError },
  },
  // Auth.js's own (app/api/auth/[...nextauth]), above
  ...authJsOperations,
];

/** The route wrapper's cross-site refusal (lib/auth/origin.ts), which any state-changing operation can answer. */
const CROSS_SITE_403 =
  "Sent from another site: a request that carries the session cookie and an `Origin` other than the app's own (`AUTH_URL`, or the address it came to) is refused as cross-site request forgery. " +
  "Requests with no `Origin` header, and API-key requests (`Authorization: Bearer`) to operations that take a key, are never refused for it";

/**
 * Who may call an operation that does not say: admin and account operations need the session
 * cookie, the cron operations CRON_SECRET, /api/metrics METRICS_TOKEN when it is set; the rest are
 * public.
 */
function defaultSecurity(path: string): PathSpec["security"] {
  if (path.startsWith("/api/admin/") || path.startsWith("/api/me/")) return [{ session: [] }];
  if (path.startsWith("/api/cron/")) return [{ cronSecret: [] }];
  if (path === "/api/metrics") return [{}, { metricsToken: [] }];
  return undefined;
}

const REQUEST_ID_HEADER = {
  description: "This request's id (the caller's own `x-request-id` when it is 1–128 characters of letters, digits and `_.:-`, else a new UUID), also in the server's log lines of a failure and in a recommendation body's `requestId`",
  schema: { type: "string" },
};
const RATE_LIMIT_HEADER = {
  description: 'What is left of the public API limit: `"api";r=<requests left>;t=<seconds to reset>` (left off answers a shared cache may keep: the catalog\'s)',
  schema: { type: "string" },
};

/**
 * Every answer but /api/ping's carries `x-request-id`; a success of an operation under the public
 * API limit (one that lists 429) carries `RateLimit` too, as its 429 does.
 */
function withCommonHeaders(op: PathSpec): PathSpec["responses"] {
  if (op.path === "/api/ping") return op.responses;
  // (sign-up's 429 is its own limit's, which sends no RateLimit on a success)
  const limited = "429" in op.responses && !op.path.startsWith("/api/auth/");
  return Object.fromEntries(
    Object.entries(op.responses).map(([status, response]) => {
      const r = response as { headers?: Record<string, unknown> };
      const extra = { "x-request-id": REQUEST_ID_HEADER, ...(limited && status.startsWith("2") ? { RateLimit: RATE_LIMIT_HEADER } : {}) };
      return [status, { ...r, headers: { ...extra, ...r.headers } }];
    }),
  ) as PathSpec["responses"];
}

/** `GET /api/movies/{id}/similar` → `getMoviesByIdSimilar`: a stable name for generated clients. */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .replace(/^\/api\/?/, "")
    .split("/")
    .filter(Boolean)
    .flatMap((segment) => (segment.startsWith("{") ? ["by", segment.slice(1, -1)] : segment.split(/[^A-Za-z0-9]+/)))
    .filter(Boolean);
  return [method, ...words].map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join("");
}

/** Whether an operation is Auth.js's own (app/api/auth/[...nextauth]), not held to the app's contract. */
function isAuthJs(op: PathSpec): boolean {
  return op.tags?.includes(AUTH_JS_TAG) ?? false;
}

/**
 * An operation as documented: with an operationId and who may call it; a POST, PUT, PATCH or
 * DELETE lists the cross-site 403 too, but Auth.js's own, which the route wrapper leaves to
 * Auth.js's CSRF token (`crossSite: "allow"` in lib/auth/route-handlers.ts).
 */
function documented(op: PathSpec): PathSpec {
  const named = { ...op, operationId: operationIdOf(op.method, op.path), security: op.security ?? defaultSecurity(op.path), responses: withCommonHeaders(op) };
  if (!["post", "put", "patch", "delete"].includes(op.method) || isAuthJs(op)) return named;
  const own = (op.responses[403] as { description?: string } | undefined)?.description;
  const crossSite = { ...json(errorBodySchema, own ? `${own}; or: ${CROSS_SITE_403}` : CROSS_SITE_403), headers: { "x-request-id": REQUEST_ID_HEADER } } as ResponseConfig;
  return { ...named, responses: { ...named.responses, 403: crossSite } };
}

export function registerOperations(...specs: PathSpec[]) {
  operations.push(...specs);
}

/**
 * The zod schema an operation documents for a status's JSON body (undefined when it documents
 * none), so handler tests can check what a route answers against what the document promises.
 */
export function documentedResponseSchema(method: string, path: string, status: number): z.ZodType | undefined {
  const found = operations.find((o) => o.method === method.toLowerCase() && o.path === path);
  const op = found && documented(found);
  const response = op?.responses[status] as { content?: Record<string, { schema?: unknown }> } | undefined;
  const schema = response?.content?.["application/json"]?.schema;
  return schema instanceof z.ZodType ? schema : undefined;
}

/**
 * The zod schemas every operation documents for its input (path parameters, query, JSON body), so
 * a test can hold what every operation's validation says to the one wording (tests/unit/validation).
 */
type RequestSchema = { operation: string; in: "path" | "query" | "body"; schema: z.ZodType };

export function documentedRequestSchemas(): RequestSchema[] {
  // Auth.js reads its own operations' input itself: no schema of ours validates it, so there is
  // no field message of ours to hold to the wording
  return operations.filter((op) => !isAuthJs(op)).flatMap((op) => {
    const operation = `${op.method.toUpperCase()} ${op.path}`;
    const body = (op.request?.body as { content?: Record<string, { schema?: unknown }> } | undefined)?.content?.["application/json"]?.schema;
    const inputs: [RequestSchema["in"], unknown][] = [
      ["path", op.request?.params],
      ["query", op.request?.query],
      ["body", body],
    ];
    return inputs.flatMap(([where, schema]) => (schema instanceof z.ZodType ? [{ operation, in: where, schema }] : []));
  });
}

export function buildOpenApiDocument() {
  const registry = new OpenAPIRegistry();
  const bearer = (description: string) => ({ type: "http" as const, scheme: "bearer", description });
  registry.registerComponent("securitySchemes", "apiKey", bearer("An API key created by an admin (`Authorization: Bearer mk_...`)"));
  registry.registerComponent("securitySchemes", "session", {
    type: "apiKey",
    in: "cookie",
    name: "authjs.session-token",
    description: "The session cookie of a signed-in account (`__Secure-authjs.session-token` over HTTPS), set by signing in (`POST /api/auth/callback/credentials`, an OAuth sign-in, the app's sign-in page)",
  });
  registry.registerComponent("securitySchemes", "cronSecret", bearer("`CRON_SECRET` (`Authorization: Bearer …`, as Vercel Cron sends it)"));
  registry.registerComponent("securitySchemes", "metricsToken", bearer("`METRICS_TOKEN`, required only when it is set"));
  for (const op of operations) registry.registerPath(documented(op));
  // the tags in the order the operations bring them (Swagger UI's own order), Auth.js's described
  const tags = [...new Set(operations.flatMap((op) => op.tags ?? []))].map((name) =>
    name === AUTH_JS_TAG
      ? { name, description: "Auth.js's own endpoints (sign-in, sign-out, session), served by next-auth under `/api/auth/*`: they answer with redirects and cookies, not the app's error contract. Not `POST /api/auth/signup`, which is the app's." }
      : { name },
  );
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    tags,
    info: {
      title: "Matinee API",
      version: pkg.version,
      description:
        "Movie recommendations as JSON. Every error has the shape `{ error: { code, message, details? } }` (but the answers Auth.js gives itself on its own endpoints, tagged `Auth.js`: redirects and cookies), " +
        "including 404 for a path no route serves, 405 (with `Allow`) for a method a path does not list, " +
        "and 400 for a path whose %-escapes do not decode. " +
        "A query parameter or a body key an operation does not take is refused with 400 (`details.fields` names it: `unknown field`), not ignored (but on `/api/ping` and Auth.js's endpoints). " +
        "A POST, PUT, PATCH or DELETE that carries the session cookie from another site (an `Origin` other than the app's own) is refused with 403 (cross-site request forgery); " +
        "API-key requests to operations that take a key, and requests without an `Origin` header, are not affected; Auth.js's POSTs check Auth.js's CSRF token instead. " +
        "The catalog, recommendation, model list and interaction routes share a per-client limit " +
        "(`API_RATE_LIMIT` requests per minute, default 1200): past it they answer 429 with `Retry-After`; " +
        "every counted response but a cacheable catalog answer (which a CDN may replay to others) carries the IETF draft's `RateLimit` field (`\"api\";r=<requests left>;t=<seconds to reset>`), " +
        "and a 429 also `RateLimit-Policy` (`\"api\";q=<limit>;w=60`).",
    },
    servers: [{ url: "/" }],
  });
}
