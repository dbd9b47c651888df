/**
 * `npm run keys:rotate`: re-encrypts every stored fleet password and webhook signing secret under
 * APP_ENCRYPTION_KEY.
 *
 *   1. set APP_ENCRYPTION_KEY to the new key and APP_ENCRYPTION_KEYS_PREVIOUS to the old one(s),
 *      restart the console (it reads old rows with the previous keys, writes new ones with the new);
 *   2. run this command (safe to run while the console runs, and to run again);
 *   3. when it reports nothing left under other keys, remove the old key from
 *      APP_ENCRYPTION_KEYS_PREVIOUS.
 *
 * Options: --batch-size N (default 100), --check (only report how many passwords each key holds).
 * Outside production, with no DATABASE_URL / APP_ENCRYPTION_KEY set, the local console's are used
 * (DATA_DIR/secrets.json and the embedded PostgreSQL, which must be running).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { getSettings, resetSettingsCache } from "../config/settings";
import { closeControlPlane, getDb } from "../db/client";
import { SecretBox } from "../crypto/secret-box";
import { passwordsByKey, rotateEncryptionKeys } from "../databases/rotate-keys";
import { rotateWebhookSecrets, webhookSecretsByKey } from "../webhooks/rotate-secrets";
import { joinLocalConsole } from "./local-secrets";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { "batch-size": { type: "string", default: "100" }, check: { type: "boolean", default: false } },
  });
  const batchSize = Number.parseInt(values["batch-size"], 10);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    console.error("--batch-size must be a whole number between 1 and 10000");
    return 2;
  }
  if (existsSync(".env")) process.loadEnvFile(".env");
  applyLocalConsoleDefaults();
  const settings = getSettings();
  if (!settings.databaseUrl) {
    console.error("DATABASE_URL is not set: point it at the control-plane database");
    return 2;
  }
  if (!settings.encryption.key) {
    console.error("APP_ENCRYPTION_KEY is not set: set it to the new key, and the old one in APP_ENCRYPTION_KEYS_PREVIOUS");
    return 2;
  }
  const box = new SecretBox(settings.encryption.key, settings.encryption.previousKeys);
  const db = getDb();
  try {
    const before = await passwordsByKey(db);
    const secretsBefore = await webhookSecretsByKey(db);
    console.log(`current key id: ${box.currentKeyId}`);
    console.log(`stored passwords by key id: ${describe(before)}`);
    console.log(`webhook secrets by key id: ${describe(secretsBefore)}`);
    if (values.check) return [...Object.keys(before), ...Object.keys(secretsBefore)].every((k) => k === box.currentKeyId) ? 0 : 1;

    const started = Date.now();
    const result = await rotateEncryptionKeys({
      db,
      box,
      batchSize,
      onBatch: (p) => console.log(`  batch ${p.batches}: ${p.rotated} re-encrypted so far${p.failed.length ? `, ${p.failed.length} unreadable` : ""}`),
    });
    const after = await passwordsByKey(db);
    console.log(`re-encrypted ${result.rotated} password(s) in ${Date.now() - started} ms`);
    console.log(`stored passwords by key id: ${describe(after)}`);
    for (const f of result.failed) console.error(`  connection ${f.id}: ${f.reason}`);
    const secrets = await rotateWebhookSecrets(db, box);
    console.log(`re-encrypted ${secrets.rotated} webhook secret(s); by key id: ${describe(await webhookSecretsByKey(db))}`);
    for (const f of secrets.failed) console.error(`  webhook ${f.id}: ${f.reason}`);
    if (result.failed.length > 0) {
      console.error(`${result.failed.length} password(s) could not be read: add the key that wrote them to APP_ENCRYPTION_KEYS_PREVIOUS and run again`);
    }
    if (secrets.failed.length > 0) {
      console.error(`${secrets.failed.length} webhook secret(s) could not be read: add the key that wrote them to APP_ENCRYPTION_KEYS_PREVIOUS and run again`);
    }
    if (result.failed.length > 0 || secrets.failed.length > 0) return 1;
    console.log("done: the previous key(s) can be removed from APP_ENCRYPTION_KEYS_PREVIOUS");
    return 0;
  } finally {
    await closeControlPlane();
  }
}

/** A local console keeps its key and embedded database in DATA_DIR; use them when nothing is set. */
function applyLocalConsoleDefaults() {
  const settings = getSettings();
  if (settings.isProduction) return;
  if (joinLocalConsole(path.resolve(settings.dataDir), settings.embeddedPgPort)) resetSettingsCache();
}

const describe = (counts: Record<string, number>) =>
  Object.keys(counts).length ? Object.entries(counts).map(([k, n]) => `${k}=${n}`).join(", ") : "none";

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`keys:rotate failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
