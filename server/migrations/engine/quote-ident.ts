/**
 * Quotes a PostgreSQL identifier (schema, table) for SQL text. Schema names come from the registry
 * and cannot be bound as parameters in DDL, so every one goes through here, never through string
 * concatenation alone.
 */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new Error("an identifier cannot be empty");
  if (name.includes("\0")) throw new Error("an identifier cannot contain a NUL character");
  if (Buffer.byteLength(name, "utf8") > 63) throw new Error(`identifier "${name}" is longer than 63 bytes`);
  return `"${name.replaceAll('"', '""')}"`;
}
