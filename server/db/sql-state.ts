/**
 * PostgreSQL's SQLSTATE of an error from a query (`23503` foreign key violation, `42P01` undefined
 * table…). drizzle wraps driver errors (DrizzleQueryError): the code is on a cause, not the error.
 */
export function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
