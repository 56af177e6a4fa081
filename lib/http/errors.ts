import { z } from "zod";
import "@/lib/validation/messages";

// The one error contract: services throw ApiError; the route wrapper turns it into
// { error: { code, message, details? } } with the status from this map.
export const errorStatus = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  not_implemented: 501,
  not_ready: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class ApiError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly details?: unknown,
    public readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

export type ErrorBody = z.infer<typeof errorBodySchema>;

/** The field message for a query parameter or body key an operation does not take. */
const UNKNOWN_FIELD = "unknown field";

/**
 * Field errors from zod, keyed by dotted path, for `details`. A key the schema does not take is
 * named itself (`{"x": ["unknown field"]}`), not as its parent's problem. Of two bounds on one
 * side of a field (an integer's safe range and the schema's own maximum), only the tighter one is said.
 */
export function zodDetails(error: z.ZodError): { fields: Record<string, string[]> } {
  // a Map, then own properties: a key may be named __proto__ (a client's unknown parameter)
  const fields = new Map<string, string[]>();
  const add = (key: string, message: string) => {
    const messages = fields.get(key) ?? [];
    if (!messages.includes(message)) messages.push(message);
    fields.set(key, messages);
  };
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const name of issue.keys) add([...issue.path, name].join("."), UNKNOWN_FIELD);
    } else add(issue.path.join(".") || "(root)", issue.message);
  }
  return { fields: Object.fromEntries([...fields].map(([key, messages]) => [key, tightest(messages)])) };
}

/**
 * zodDetails' fields as one line, for a log line, a job's error or a CLI message:
 * `model: must be one of ease, item-knn; bogus: unknown field`.
 */
export function fieldsLine(details: { fields: Record<string, string[]> }): string {
  return Object.entries(details.fields)
    .map(([field, messages]) => `${field}: ${messages.join(" and ")}`)
    .join("; ");
}

const BOUND = /^must be (at most|at least) (-?[\d.]+)$/;

function tightest(messages: string[]): string[] {
  const best = new Map<string, number>();
  for (const m of messages) {
    const [, side, n] = BOUND.exec(m) ?? [];
    if (side === undefined) continue;
    const v = Number(n);
    const prev = best.get(side);
    if (prev === undefined || (side === "at most" ? v < prev : v > prev)) best.set(side, v);
  }
  return messages.filter((m) => {
    const [, side, n] = BOUND.exec(m) ?? [];
    return side === undefined || best.get(side) === Number(n);
  });
}

export function errorResponse(err: ApiError): Response {
  const body: ErrorBody = {
    error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) },
  };
  return Response.json(body, {
    status: err.status,
    headers: { "cache-control": "no-store", ...err.headers },
  });
}
