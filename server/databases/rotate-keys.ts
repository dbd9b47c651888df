import type { Db } from "../db/client";
import type { SecretBox } from "../crypto/secret-box";
import { countPasswordsByKey, lockStaleKeyBatch, setSealedPassword } from "./repository";

export interface RotationProgress {
  rotated: number;
  failed: Array<{ id: string; keyId: string | null; reason: string }>;
  batches: number;
}

export interface RotateOptions {
  db: Db;
  box: SecretBox;
  batchSize?: number;
  onBatch?: (progress: RotationProgress) => void;
}

/**
 * Re-encrypts every stored password (soft-deleted rows included: they are kept, so their key must
 * be too) under the box's current key. Batches of `batchSize` rows, each in its own transaction
 * with the rows locked, so a rotation can be interrupted and run again, and runs next to a live
 * console. A row whose key is unknown is reported and left as it is: the previous key that wrote it
 * is missing from APP_ENCRYPTION_KEYS_PREVIOUS.
 */
export async function rotateEncryptionKeys(opts: RotateOptions): Promise<RotationProgress> {
  const batchSize = opts.batchSize ?? 100;
  const progress: RotationProgress = { rotated: 0, failed: [], batches: 0 };
  let afterId: string | null = null;
  for (;;) {
    const lastId: string | null = await opts.db.transaction(async (tx) => {
      const rows = await lockStaleKeyBatch(tx, opts.box.currentKeyId, afterId, batchSize);
      for (const row of rows) {
        let plaintext: string;
        try {
          plaintext = opts.box.open({ ciphertext: row.passwordEncrypted!, keyId: row.passwordKeyId ?? "" });
        } catch (error) {
          progress.failed.push({ id: row.id, keyId: row.passwordKeyId, reason: (error as Error).message });
          continue;
        }
        await setSealedPassword(tx, row.id, opts.box.seal(plaintext));
        progress.rotated += 1;
      }
      return rows.at(-1)?.id ?? null;
    });
    if (lastId === null) break;
    afterId = lastId;
    progress.batches += 1;
    opts.onBatch?.(progress);
  }
  return progress;
}

/** Stored passwords per key id: after a complete rotation, only the current key's id is left. */
export async function passwordsByKey(db: Db): Promise<Record<string, number>> {
  const rows = await countPasswordsByKey(db);
  return Object.fromEntries(rows.map((r) => [r.keyId ?? "(none)", r.n]));
}
