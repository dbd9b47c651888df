import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The control-plane (and demo admin) database of the embedded default. */
export const EMBEDDED_CONTROL_PLANE_DB = "nmt_admin";

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

/**
 * For processes that join a local console started on the embedded default (`npm run worker` next to
 * `npm start`): its control-plane URL and encryption key from DATA_DIR, when they are not set.
 * Returns false when there is no local console's data to join.
 */
export function joinLocalConsole(dataDir: string, embeddedPgPort: number): boolean {
  const file = path.join(dataDir, "secrets.json");
  if (!existsSync(file)) return false;
  const secrets = loadOrCreateLocalSecrets(dataDir);
  process.env.APP_ENCRYPTION_KEY ||= secrets.encryptionKey;
  process.env.DATABASE_URL ||=
    `postgres://postgres:${encodeURIComponent(secrets.embeddedPgPassword)}@127.0.0.1:${embeddedPgPort}/${EMBEDDED_CONTROL_PLANE_DB}`;
  return true;
}
