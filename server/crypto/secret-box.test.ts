import { describe, expect, it } from "vitest";
import { SecretBox } from "./secret-box";

const KEY_A = "a".repeat(32) + "-first-key";
const KEY_B = "b".repeat(32) + "-second-key";

describe("SecretBox", () => {
  it("round-trips a password and never stores the plaintext", () => {
    const box = new SecretBox(KEY_A);
    const sealed = box.seal("s3cret-p@ss");
    expect(sealed.ciphertext).not.toContain("s3cret");
    expect(Buffer.from(sealed.ciphertext, "base64").toString("utf8")).not.toContain("s3cret");
    expect(box.open(sealed)).toBe("s3cret-p@ss");
  });

  it("uses a fresh IV each time, so equal passwords give different ciphertexts", () => {
    const box = new SecretBox(KEY_A);
    expect(box.seal("same").ciphertext).not.toBe(box.seal("same").ciphertext);
  });

  it("decrypts rows written under a previous key and flags them stale", () => {
    const old = new SecretBox(KEY_A).seal("pw");
    const rotated = new SecretBox(KEY_B, [KEY_A]);
    expect(rotated.open(old)).toBe("pw");
    expect(rotated.isStale(old)).toBe(true);
    expect(rotated.isStale(rotated.seal("pw"))).toBe(false);
  });

  it("refuses a key id it does not know, naming the setting to fix", () => {
    const old = new SecretBox(KEY_A).seal("pw");
    expect(() => new SecretBox(KEY_B).open(old)).toThrow(/APP_ENCRYPTION_KEYS_PREVIOUS/);
  });

  it("detects tampering", () => {
    const box = new SecretBox(KEY_A);
    const sealed = box.seal("pw");
    const raw = Buffer.from(sealed.ciphertext, "base64");
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => box.open({ ...sealed, ciphertext: raw.toString("base64") })).toThrow(/could not be decrypted/);
  });
});
