import pg from "pg";
import { getSettings } from "../config/settings";
import { type ConnectionDetails, isNoTlsError, pgClientConfig } from "./connection-target";
import { assertHostAllowed } from "./host-guard";

export interface DirectClientOptions {
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  applicationName?: string;
}

/**
 * One fresh session outside the pools, closed afterwards: for testing connection details (new ones
 * from a form, or a saved connection's, where a pooled session would prove nothing about the
 * current password). The host guard runs first; `prefer` retries in plaintext when the server
 * has no TLS.
 */
export async function withDirectClient<T>(
  details: ConnectionDetails,
  fn: (client: pg.Client) => Promise<T>,
  opts: DirectClientOptions = {},
): Promise<T> {
  const settings = getSettings();
  assertHostAllowed(details.host, settings.allowedDatabaseHosts);
  const connectTimeoutMs = opts.connectTimeoutMs ?? settings.fleet.connectTimeoutSeconds * 1000;
  const config = {
    connectTimeoutMs,
    statementTimeoutMs: opts.statementTimeoutMs ?? connectTimeoutMs,
    applicationName: opts.applicationName ?? "infrastructure-console:test",
  };
  const client = await connect(pgClientConfig(details, config)).catch(async (error: unknown) => {
    if (details.sslMode === "prefer" && isNoTlsError(error)) {
      return connect(pgClientConfig(details, { ...config, plaintext: true }));
    }
    throw error;
  });
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

async function connect(config: pg.ClientConfig): Promise<pg.Client> {
  const client = new pg.Client(config);
  // A session dropped by the server after connecting must not become an unhandled 'error' event.
  client.on("error", () => {});
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}
