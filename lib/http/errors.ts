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

/**
 * Field errors from zod, keyed by dotted path, for `details`. Of two bounds on one side of a field
 * (an integer's safe range and the schema's own maximum), only the tighter one is said.
 */
export function zodDetails(error: z.ZodError): { fields: Record<string, string[]> } {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "(root)";
    const messages = (fields[key] ??= []);
    if (!messages.includes(issue.message)) messages.push(issue.message);
  }
  for (const key in fields) fields[key] = tightest(fields[key]);
  return { fields };
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
