import { z } from "zod";

/** PostgreSQL truncates identifiers past NAMEDATALEN-1 bytes; a longer name would silently change. */
export const IDENTIFIER_MAX_BYTES = 63;

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Why `name` cannot be a schema name the console manages, or null when it can. The rule is stricter
 * than PostgreSQL's (which accepts anything when quoted): lowercase letters, digits and
 * underscores, so a name means the same quoted or not and can never carry quotes, spaces or SQL.
 * The console still always quotes it when it builds SQL.
 */
export function schemaNameProblem(name: string): string | null {
  if (name.length === 0) return "must not be empty";
  const bytes = new TextEncoder().encode(name).length;
  if (bytes > IDENTIFIER_MAX_BYTES) return `must be at most ${IDENTIFIER_MAX_BYTES} bytes (got ${bytes})`;
  if (!IDENTIFIER.test(name)) {
    return "must start with a lowercase letter or underscore and contain only lowercase letters, digits and underscores (no quotes, spaces or other characters)";
  }
  if (name.startsWith("pg_") || name === "information_schema") return "is reserved by PostgreSQL";
  return null;
}

/** A schema name field: validated as above, with the reason as the field's message. */
export const zSchemaName = z.string().superRefine((value, ctx) => {
  const problem = schemaNameProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: `schema name ${problem}` });
});
