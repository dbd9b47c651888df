import type { SecretBox } from "../crypto/secret-box";
import type { Db } from "../db/client";
import * as repo from "./repository";

/**
 * `npm run keys:rotate` for endpoint signing secrets: every secret sealed under an older key is
 * re-sealed under the box's current one, in one transaction with the rows locked (endpoints are
 * few). A secret whose key is unknown is reported and left as it is.
 */
export async function rotateWebhookSecrets(db: Db, box: SecretBox): Promise<{ rotated: number; failed: Array<{ id: string; keyId: string; reason: string }> }> {
  return db.transaction(async (tx) => {
    const failed: Array<{ id: string; keyId: string; reason: string }> = [];
    let rotated = 0;
    for (const row of await repo.lockStaleSecrets(tx, box.currentKeyId)) {
      let secret: string;
      try {
        secret = box.open({ ciphertext: row.secretEncrypted, keyId: row.secretKeyId });
      } catch (error) {
        failed.push({ id: row.id, keyId: row.secretKeyId, reason: (error as Error).message });
        continue;
      }
      await repo.setSealedSecret(tx, row.id, box.seal(secret));
      rotated += 1;
    }
    return { rotated, failed };
  });
}

/** Stored endpoint secrets per key id. */
export async function webhookSecretsByKey(db: Db): Promise<Record<string, number>> {
  return Object.fromEntries((await repo.countSecretsByKey(db)).map((r) => [r.keyId, r.n]));
}
