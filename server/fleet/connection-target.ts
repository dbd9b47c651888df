import { createHash } from "node:crypto";
import type { ConnectionOptions } from "node:tls";
import type pg from "pg";
import type { SslMode, Tier } from "../domain/fleet";

/**
 * A registered connection with its password decrypted, ready to connect. The password is a
 * non-enumerable property: spreading, JSON.stringify and loggers never see it, so passing this
 * object around (into a log line, an error's details) cannot leak it by accident.
 */
export interface ResolvedConnection {
  id: string;
  name: string;
  host: string;
  port: number;
  databaseName: string;
  username: string;
  sslMode: SslMode;
  connectionType: Tier;
  region: string | null;
  schemaName: string;
  isActive: boolean;
  readonly password: string | null;
}

/** Connection details as typed in a form, before they are saved (tests of new settings). */
export interface ConnectionDetails {
  host: string;
  port: number;
  databaseName: string;
  username: string;
  sslMode: SslMode;
  password: string | null;
}

/**
 * Attaches the password as a non-enumerable property. Given a function, the password is produced
 * (decrypted) on first read only: listing a fleet for a plan decrypts nothing, and one unreadable
 * password fails only the work that needs that connection.
 */
export function withHiddenPassword<T extends object>(
  value: T,
  password: string | null | (() => string | null),
): T & { readonly password: string | null } {
  if (typeof password !== "function") {
    return Object.defineProperty(value, "password", { value: password, enumerable: false, writable: false }) as T & {
      readonly password: string | null;
    };
  }
  let cached: { value: string | null } | undefined;
  return Object.defineProperty(value, "password", {
    enumerable: false,
    get: () => (cached ??= { value: password() }).value,
  }) as T & { readonly password: string | null };
}

/**
 * TLS options for an ssl_mode, as libpq understands the modes. `prefer` starts with TLS and falls
 * back to plaintext only when the server says it has no TLS (see `isNoTlsError`); node-postgres
 * has no such fallback of its own. Certificates are checked against Node's CA store
 * (NODE_EXTRA_CA_CERTS adds a private CA).
 */
export function tlsFor(mode: SslMode): false | ConnectionOptions {
  switch (mode) {
    case "disable":
      return false;
    case "prefer":
    case "require":
      return { rejectUnauthorized: false };
    case "verify-ca":
      // The chain must be trusted; the name in the certificate is not compared with the host.
      return { rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case "verify-full":
      return { rejectUnauthorized: true };
  }
}

export interface ClientConfigOptions {
  connectTimeoutMs: number;
  applicationName: string;
  /** Server-side statement_timeout for the session (ms); 0 or unset leaves the server default. */
  statementTimeoutMs?: number;
  /** Skip TLS for `prefer` after the server said it does not offer it. */
  plaintext?: boolean;
}

export function pgClientConfig(details: ConnectionDetails, opts: ClientConfigOptions): pg.ClientConfig {
  // Read (decrypt) before any socket opens, so an unreadable password fails without traffic.
  const password = details.password ?? "";
  return {
    host: details.host.startsWith("[") ? details.host.slice(1, -1) : details.host,
    port: details.port,
    database: details.databaseName,
    user: details.username,
    // A function, never a plain empty value: for "" or null pg falls back to this machine's
    // PGPASSWORD or ~/.pgpass and would send those credentials to the registered host.
    password: () => password,
    ssl: opts.plaintext ? false : tlsFor(details.sslMode),
    connectionTimeoutMillis: opts.connectTimeoutMs,
    application_name: opts.applicationName,
    statement_timeout: opts.statementTimeoutMs || undefined,
    keepAlive: true,
  };
}

/** The server answered the TLS request with "no": only `prefer` may then go on in plaintext. */
export function isNoTlsError(error: unknown): boolean {
  return error instanceof Error && /does not support SSL/i.test(error.message);
}

/**
 * Identifies the exact details a pool was built from, so a changed password or host gets a new
 * pool. A one-way hash: the fingerprint never reveals the password.
 */
export function detailsFingerprint(details: ConnectionDetails): string {
  return createHash("sha256")
    .update(
      JSON.stringify([details.host, details.port, details.databaseName, details.username, details.sslMode, details.password]),
    )
    .digest("hex")
    .slice(0, 16);
}
