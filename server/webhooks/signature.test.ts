import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateSecret, signatureHeader, verifySignature } from "./signature";

const secret = "s3cret-of-at-least-16";
const body = JSON.stringify({ id: "e1", type: "execution.failed", data: { note: "ünïcode ✓" } });

describe("delivery signatures", () => {
  it("are HMAC-SHA256 over `<t>.<body>`, as a receiver recomputes them by hand", () => {
    const header = signatureHeader(secret, body, 1_700_000_000);
    const expected = createHmac("sha256", secret).update(`1700000000.${body}`).digest("hex");
    expect(header).toBe(`t=1700000000,v1=${expected}`);
  });

  it("verify with the right secret within the tolerance", () => {
    const header = signatureHeader(secret, body, 1_700_000_000);
    expect(verifySignature(header, body, secret, { now: 1_700_000_100 })).toEqual({ ok: true, timestamp: 1_700_000_000 });
  });

  it("refuse another secret, a changed body, an old timestamp and a missing header", () => {
    const header = signatureHeader(secret, body, 1_700_000_000);
    const now = { now: 1_700_000_000 };
    expect(verifySignature(header, body, "another-secret-of-16", now)).toMatchObject({ ok: false, reason: /no v1 signature/ });
    expect(verifySignature(header, body.replace("failed", "completed"), secret, now)).toMatchObject({ ok: false });
    expect(verifySignature(header, body, secret, { now: 1_700_000_301 })).toMatchObject({ ok: false, reason: /tolerance/ });
    expect(verifySignature(undefined, body, secret, now)).toMatchObject({ ok: false, reason: /no signature header/ });
    // A signature moved to another timestamp does not verify (the timestamp is signed too).
    const moved = header.replace("t=1700000000", "t=1700000001");
    expect(verifySignature(moved, body, secret, now)).toMatchObject({ ok: false });
  });

  it("accept any of several v1 values (a receiver during a secret change)", () => {
    const good = signatureHeader(secret, body, 1_700_000_000).split(",v1=")[1];
    const header = `t=1700000000,v1=${"0".repeat(64)},v1=${good}`;
    expect(verifySignature(header, body, secret, { now: 1_700_000_000 }).ok).toBe(true);
  });

  it("generated secrets are long, random and recognisable", () => {
    const a = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    expect(generateSecret()).not.toBe(a);
  });
});
