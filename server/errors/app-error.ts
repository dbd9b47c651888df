/**
 * The one error type the console throws on purpose, at any layer. Its code says what went wrong in
 * words the caller can act on (the web layer maps codes to HTTP statuses in
 * server/http/error-status.ts); its message is safe to show to the caller; `details` carries
 * structured context (which field, which target, what changed). Anything that is not an AppError
 * becomes an opaque 500.
 */
export const ERROR_CODES = [
  "bad_request",
  "validation_error",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "target_busy",
  "plan_changed",
  "policy_blocked",
  "rehearsal_required",
  "payload_too_large",
  "rate_limited",
  "connection_failed",
  "host_not_allowed",
  "migration_error",
  "service_unavailable",
  "internal_error",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

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
