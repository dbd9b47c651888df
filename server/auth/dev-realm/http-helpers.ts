import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

const FORM_LIMIT = 64 * 1024;

/** Reads an application/x-www-form-urlencoded body (other types read as empty). */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > FORM_LIMIT) throw new Error("request body too large");
    chunks.push(buffer);
  }
  const type = req.headers["content-type"] ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded")) return new URLSearchParams();
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, html: string) {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(html),
  });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string, status = 302) {
  res.writeHead(status, { location, "content-length": 0, "cache-control": "no-store" });
  res.end();
}

export function hasCookie(req: IncomingMessage, name: string): boolean {
  return (req.headers.cookie ?? "").split(";").some((part) => part.trim().startsWith(`${name}=`));
}

/** Client id and secret from HTTP Basic or the form body, as Keycloak accepts both. */
export function clientCredentials(
  req: IncomingMessage,
  form: URLSearchParams,
): { clientId: string; secret: string | undefined } | undefined {
  const header = req.headers.authorization;
  if (header?.toLowerCase().startsWith("basic ")) {
    const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 1) return undefined;
    const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, "%20"));
    try {
      return { clientId: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
    } catch {
      return undefined;
    }
  }
  const clientId = form.get("client_id");
  return clientId ? { clientId, secret: form.get("client_secret") ?? undefined } : undefined;
}

export function secretsEqual(expected: string | undefined, given: string | undefined): boolean {
  if (expected === undefined || given === undefined) return false;
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(given, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header.trim()) : null;
  return match?.[1];
}
