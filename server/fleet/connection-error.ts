/**
 * What went wrong talking to a fleet database, in a form that is safe to store, log and return:
 * PostgreSQL's SQLSTATE (28P01, 3D000, 57P03…) or the socket error code (ECONNREFUSED, ENOTFOUND),
 * and a message. Messages are built from the error itself, never from connection strings; any
 * occurrence of the password is still scrubbed as a second line of defence.
 */
export interface ConnectionErrorInfo {
  code: string | null;
  message: string;
}

export function describeConnectionError(error: unknown, password: string | null = null): ConnectionErrorInfo {
  const err = firstCause(error);
  if (err?.message && /client password must be a (non-empty )?string/.test(err.message)) {
    return { code: "no_password", message: "the server asks for a password and none is set for this connection" };
  }
  const code = typeof err?.code === "string" ? err.code : null;
  let message = err?.message?.trim() || (code ? `connection error ${code}` : "connection failed");
  if (/timeout/i.test(message) && !code) message = `connection timed out (${message})`;
  return { code: code ?? (/timeout/i.test(message) ? "timeout" : null), message: scrub(message, password) };
}

export function scrub(text: string, password: string | null): string {
  if (!password || password.length < 3) return text;
  return text.split(password).join("[redacted]");
}

type ErrorLike = { message?: string; code?: unknown; errors?: unknown[] };

/** Node 20 reports a refused `localhost` (tried on ::1 and 127.0.0.1) as an AggregateError with no message. */
function firstCause(error: unknown): ErrorLike | undefined {
  if (!error || typeof error !== "object") return error === undefined ? undefined : { message: String(error) };
  const e = error as ErrorLike;
  if (!e.message && Array.isArray(e.errors) && e.errors.length > 0) {
    const inner = firstCause(e.errors[0]);
    return { ...inner, code: e.code ?? inner?.code };
  }
  return e;
}
