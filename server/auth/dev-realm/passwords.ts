import { pbkdf2, randomBytes, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import type { RealmCredential } from "./realm-file";

/**
 * Keycloak's password credentials as a realm export carries them: `secretData` holds the base64 hash
 * and salt, `credentialData` the algorithm and iteration count. Keycloak derives the key with
 * PBKDF2 over the UTF-8 password and infers the key length from the stored hash, so we do the same.
 */

const pbkdf2Async = promisify(pbkdf2);

const DIGESTS: Record<string, string> = {
  pbkdf2: "sha1",
  "pbkdf2-sha256": "sha256",
  "pbkdf2-sha512": "sha512",
};

interface StoredHash {
  digest: string;
  iterations: number;
  salt: Buffer;
  value: Buffer;
}

function readStoredHash(credential: RealmCredential): StoredHash | undefined {
  if (!credential.secretData || !credential.credentialData) return undefined;
  try {
    const secret = JSON.parse(credential.secretData) as { value?: unknown; salt?: unknown };
    const data = JSON.parse(credential.credentialData) as { hashIterations?: unknown; algorithm?: unknown };
    const digest = typeof data.algorithm === "string" ? DIGESTS[data.algorithm] : undefined;
    if (!digest || typeof secret.value !== "string" || typeof secret.salt !== "string") return undefined;
    if (typeof data.hashIterations !== "number" || !Number.isInteger(data.hashIterations) || data.hashIterations < 1) {
      return undefined;
    }
    const value = Buffer.from(secret.value, "base64");
    if (value.length === 0) return undefined;
    return { digest, iterations: data.hashIterations, salt: Buffer.from(secret.salt, "base64"), value };
  } catch {
    return undefined;
  }
}

async function matches(credential: RealmCredential, password: string): Promise<boolean> {
  if (credential.value !== undefined) {
    // Plain import form: compare in constant time over equal-length digests.
    const a = Buffer.from(credential.value, "utf8");
    const b = Buffer.from(password, "utf8");
    return a.length === b.length && timingSafeEqual(a, b);
  }
  const stored = readStoredHash(credential);
  if (!stored) return false;
  const derived = await pbkdf2Async(password, stored.salt, stored.iterations, stored.value.length, stored.digest);
  return timingSafeEqual(derived, stored.value);
}

/** True when one of the user's password credentials matches. Unknown hash formats never match. */
export async function verifyPassword(credentials: readonly RealmCredential[], password: string): Promise<boolean> {
  for (const credential of credentials) {
    if (credential.type === "password" && (await matches(credential, password))) return true;
  }
  return false;
}

/** A password credential in Keycloak's export form (pbkdf2-sha256, Keycloak's pre-24 default). */
export async function hashPassword(password: string, iterations = 27_500): Promise<RealmCredential> {
  const salt = randomBytes(16);
  const value = await pbkdf2Async(password, salt, iterations, 64, "sha256");
  return {
    type: "password",
    secretData: JSON.stringify({ value: value.toString("base64"), salt: salt.toString("base64"), additionalParameters: {} }),
    credentialData: JSON.stringify({ hashIterations: iterations, algorithm: "pbkdf2-sha256", additionalParameters: {} }),
  };
}
