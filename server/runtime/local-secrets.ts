import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface LocalSecrets {
  authSecret: string;
  encryptionKey: string;
  embeddedPgPassword: string;
}

/**
 * Secrets for a local (non-production) console, generated once and kept in DATA_DIR/secrets.json
 * (mode 0600) so sessions and encrypted passwords survive restarts. Production must set its own.
 */
export function loadOrCreateLocalSecrets(dataDir: string): LocalSecrets {
  const file = path.join(dataDir, "secrets.json");
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, "utf8")) as Partial<LocalSecrets>;
    if (stored.authSecret && stored.encryptionKey && stored.embeddedPgPassword) return stored as LocalSecrets;
  }
  const secrets: LocalSecrets = {
    authSecret: randomBytes(32).toString("base64url"),
    encryptionKey: randomBytes(32).toString("base64url"),
    embeddedPgPassword: randomBytes(18).toString("base64url"),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
