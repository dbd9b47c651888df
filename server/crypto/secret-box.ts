import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";

/**
 * Encryption at rest for fleet passwords: AES-256-GCM under a key derived (HKDF-SHA256) from
 * APP_ENCRYPTION_KEY. Each ciphertext is stored with the id of the key that made it, so keys listed
 * in APP_ENCRYPTION_KEYS_PREVIOUS keep decrypting old rows while a rotation re-encrypts them.
 *
 * Stored form: base64(iv[12] | tag[16] | ciphertext). The key id is a short hash of the derived key,
 * which identifies the key without revealing it.
 */

const IV_BYTES = 12;
const TAG_BYTES = 16;
const INFO = "infrastructure-console/connection-password/v1";

export interface Sealed {
  ciphertext: string;
  keyId: string;
}

interface DerivedKey {
  id: string;
  key: Buffer;
}

function derive(secret: string): DerivedKey {
  const key = Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.alloc(0), INFO, 32));
  const id = createHash("sha256").update(key).digest("hex").slice(0, 12);
  return { id, key };
}

export class SecretBox {
  private readonly current: DerivedKey;
  private readonly byId: Map<string, DerivedKey>;

  constructor(currentSecret: string, previousSecrets: readonly string[] = []) {
    if (!currentSecret) throw new Error("APP_ENCRYPTION_KEY is not set");
    this.current = derive(currentSecret);
    this.byId = new Map([this.current, ...previousSecrets.map(derive)].map((k) => [k.id, k]));
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  seal(plaintext: string): Sealed {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.current.key, iv);
    const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    const tag = cipher.getAuthTag();
    return { ciphertext: Buffer.concat([iv, tag, data]).toString("base64"), keyId: this.current.id };
  }

  open(sealed: Sealed): string {
    const key = this.byId.get(sealed.keyId);
    if (!key) {
      throw new Error(
        `no encryption key with id ${sealed.keyId}: add the key it was written with to APP_ENCRYPTION_KEYS_PREVIOUS`,
      );
    }
    const raw = Buffer.from(sealed.ciphertext, "base64");
    const iv = raw.subarray(0, IV_BYTES);
    const tag = raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    const data = raw.subarray(IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv("aes-256-gcm", key.key, iv);
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
    } catch {
      throw new Error(`stored password could not be decrypted with key ${sealed.keyId} (wrong key or corrupted data)`);
    }
  }

  /** Whether a sealed value was written under an older key and should be re-encrypted. */
  isStale(sealed: Pick<Sealed, "keyId">): boolean {
    return sealed.keyId !== this.current.id;
  }
}
