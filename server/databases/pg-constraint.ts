/**
 * The name of the unique constraint a control-plane write violated (SQLSTATE 23505), or null.
 * Drizzle wraps driver errors (DrizzleQueryError with the pg error as `cause`); look through it.
 */
export function violatedUniqueConstraint(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 4; depth++) {
    const { code, constraint } = e as { code?: unknown; constraint?: unknown };
    if (code === "23505") return typeof constraint === "string" ? constraint : "";
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}
