import type { AppError, ErrorCode } from "../errors/app-error";

/** The HTTP status of each error code: the one place the web layer decides it. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_error: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  target_busy: 409,
  plan_changed: 409,
  policy_blocked: 422,
  rehearsal_required: 409,
  payload_too_large: 413,
  rate_limited: 429,
  connection_failed: 422,
  host_not_allowed: 422,
  migration_error: 422,
  service_unavailable: 503,
  internal_error: 500,
};

export function httpStatusOf(error: AppError): number {
  return HTTP_STATUS[error.code];
}
