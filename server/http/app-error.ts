/**
 * The one error type the console throws on purpose. Its code decides the HTTP status (see
 * HTTP_STATUS); its message is safe to show to the caller; `details` carries structured context
 * (which field, which target, what changed). Anything that is not an AppError becomes an opaque 500.
 */
export const HTTP_STATUS = {
  bad_request: 400,
  validation_error: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  target_busy: 409,
  plan_changed: 409,
  payload_too_large: 413,
  rate_limited: 429,
  connection_failed: 422,
  host_not_allowed: 422,
  migration_error: 422,
  service_unavailable: 503,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof HTTP_STATUS;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    /** Extra response headers, e.g. Retry-After for rate limits. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }
}

export const notFound = (what: string, id: string) =>
  new AppError("not_found", `${what} ${id} not found`, { resource: what, id });

export const conflict = (message: string, details: Record<string, unknown> = {}) =>
  new AppError("conflict", message, details);

/** The JSON body every error response carries: the original service's {error, message, details}. */
export interface ErrorBody {
  error: string;
  message: string;
  details: Record<string, unknown>;
}
