import { getSettings } from "../config/settings";
import { SecretBox } from "../crypto/secret-box";
import { AppError } from "../errors/app-error";

let cached: { key: string; previous: readonly string[]; box: SecretBox } | undefined;

/**
 * The SecretBox for endpoint signing secrets: the same keys as fleet passwords (APP_ENCRYPTION_KEY
 * encrypts; it and APP_ENCRYPTION_KEYS_PREVIOUS decrypt), so one rotation (`npm run keys:rotate`)
 * covers both. Rebuilt when the settings change.
 */
export function getWebhookSecretBox(): SecretBox {
  const { key, previousKeys } = getSettings().encryption;
  if (!key) {
    throw new AppError("service_unavailable", "APP_ENCRYPTION_KEY is not set: webhook secrets cannot be encrypted or read");
  }
  if (!cached || cached.key !== key || cached.previous !== previousKeys) {
    cached = { key, previous: previousKeys, box: new SecretBox(key, previousKeys) };
  }
  return cached.box;
}
