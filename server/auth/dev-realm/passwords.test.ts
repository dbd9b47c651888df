import { pbkdf2Sync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./passwords";

describe("Keycloak password credentials", () => {
  it("verifies what hashPassword produced and nothing else", async () => {
    const credential = await hashPassword("s3cret pässword", 1000);
    expect(await verifyPassword([credential], "s3cret pässword")).toBe(true);
    expect(await verifyPassword([credential], "s3cret passwörd")).toBe(false);
    expect(await verifyPassword([credential], "")).toBe(false);
  });

  it("reads pbkdf2-sha512 with the key length of the stored hash (Keycloak 24's default form)", async () => {
    const salt = Buffer.from("0123456789abcdef");
    const value = pbkdf2Sync("pw", salt, 2000, 64, "sha512");
    const credential = {
      type: "password",
      secretData: JSON.stringify({ value: value.toString("base64"), salt: salt.toString("base64"), additionalParameters: {} }),
      credentialData: JSON.stringify({ hashIterations: 2000, algorithm: "pbkdf2-sha512", additionalParameters: {} }),
    };
    expect(await verifyPassword([credential], "pw")).toBe(true);
    expect(await verifyPassword([credential], "pw2")).toBe(false);
  });

  it("never accepts a hash it cannot check (argon2, broken data) or a non-password credential", async () => {
    const argon2 = {
      type: "password",
      secretData: JSON.stringify({ value: "AAAA", salt: "AAAA" }),
      credentialData: JSON.stringify({ hashIterations: 5, algorithm: "argon2" }),
    };
    expect(await verifyPassword([argon2], "anything")).toBe(false);
    expect(await verifyPassword([{ type: "password", secretData: "{", credentialData: "{" }], "x")).toBe(false);
    expect(await verifyPassword([{ type: "otp", value: "123456" }], "123456")).toBe(false);
  });

  it("accepts Keycloak's plain import form", async () => {
    expect(await verifyPassword([{ type: "password", value: "plain" }], "plain")).toBe(true);
    expect(await verifyPassword([{ type: "password", value: "plain" }], "plain ")).toBe(false);
  });
});
