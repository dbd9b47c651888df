import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Delivery signatures. Each request carries `X-Console-Signature: t=<unix seconds>,v1=<hex>` where
 * the hex is HMAC-SHA256 with the endpoint's secret over `${t}.${body}` (the raw body bytes as
 * sent). Signing the timestamp with the body lets a receiver refuse replays: it checks the HMAC,
 * then that `t` is recent (five minutes is the usual window). `v1` names the scheme, so a later one
 * can be sent beside it while receivers move over.
 */

export const SIGNATURE_SCHEME = "v1";
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
}

/** The header value for a body sent at `timestamp` (unix seconds). */
export function signatureHeader(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},${SIGNATURE_SCHEME}=${signatureOf(secret, timestamp, body)}`;
}

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: string };

/**
 * What a receiver does with the header: parse it, recompute the HMAC, compare in constant time,
 * and refuse a timestamp further than `toleranceSeconds` from `now`. The console uses it in its
 * own tests; the README shows the same steps for receivers.
 */
export function verifySignature(
  header: string | null | undefined,
  body: string,
  secret: string,
  opts: { toleranceSeconds?: number; now?: number } = {},
): VerifyResult {
  if (!header) return { ok: false, reason: "no signature header" };
  const parts = new Map<string, string[]>();
  for (const item of header.split(",")) {
    const at = item.indexOf("=");
    if (at <= 0) continue;
    const key = item.slice(0, at).trim();
    parts.set(key, [...(parts.get(key) ?? []), item.slice(at + 1).trim()]);
  }
  const timestamp = Number(parts.get("t")?.[0]);
  if (!Number.isInteger(timestamp)) return { ok: false, reason: "no timestamp (t=) in the signature header" };
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) {
    return { ok: false, reason: "the timestamp is outside the tolerance (a replay, or a clock far off)" };
  }
  const expected = Buffer.from(signatureOf(secret, timestamp, body), "hex");
  const given = parts.get(SIGNATURE_SCHEME) ?? [];
  const matches = given.some((hex) => {
    const candidate = Buffer.from(hex, "hex");
    return candidate.length === expected.length && timingSafeEqual(candidate, expected);
  });
  return matches ? { ok: true, timestamp } : { ok: false, reason: "no v1 signature matches the body" };
}

/** A secret for an endpoint whose admin did not bring one: 192 random bits, recognisable by its prefix. */
export function generateSecret(): string {
  return `whsec_${randomBytes(24).toString("base64url")}`;
}
