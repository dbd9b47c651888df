import { withHiddenPassword, type ResolvedConnection } from "../fleet/connection-target";
import { AppError } from "../errors/app-error";
import { getPasswordBox } from "./password-box";
import type { ConnectionRow } from "./repository";

/**
 * A stored row → the details to connect with; the password is decrypted when first read and hidden
 * from serialisation.
 */
export function resolveRow(row: ConnectionRow): ResolvedConnection {
  return withHiddenPassword(
    {
      id: row.id,
      name: row.name,
      host: row.host,
      port: row.port,
      databaseName: row.databaseName,
      username: row.username,
      sslMode: row.sslMode,
      connectionType: row.connectionType,
      region: row.region,
      schemaName: row.schemaName,
      isActive: row.isActive,
    },
    () => openPassword(row),
  );
}

export function openPassword(row: Pick<ConnectionRow, "id" | "name" | "passwordEncrypted" | "passwordKeyId">): string | null {
  if (!row.passwordEncrypted) return null;
  try {
    return getPasswordBox().open({ ciphertext: row.passwordEncrypted, keyId: row.passwordKeyId ?? "" });
  } catch (error) {
    if (error instanceof AppError) throw error;
    // SecretBox's messages name the key id only, never key material or the password.
    throw new AppError(
      "service_unavailable",
      `the password of connection ${row.name} cannot be read: ${error instanceof Error ? error.message : "decryption failed"}`,
      { connection_id: row.id },
    );
  }
}
