/** Quotes a PostgreSQL identifier (schema, table, database name) for use in SQL text. */
export function quoteIdent(name: string): string {
  if (name.includes("\u0000")) throw new Error("identifier contains a NUL byte");
  return `"${name.replaceAll('"', '""')}"`;
}
