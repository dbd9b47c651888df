import path from "node:path";
import type { Settings } from "../config/settings";
import { startDevRealm } from "../auth/dev-realm/start-dev-realm";
import { loadRealmFile } from "../auth/dev-realm/realm-file";

/**
 * Starts the development realm for a console that has no KEYCLOAK_URL, on DEV_REALM_PORT, from the
 * realm export in deploy/keycloak (the file an operator imports into a real Keycloak). Returns the
 * console client's secret from that file so the console can use it without configuration.
 */
export async function startDevRealmFor(settings: Settings, root: string) {
  const realmFile = path.join(root, "deploy", "keycloak", "realm.json");
  const realmExport = loadRealmFile(realmFile);
  const realm = await startDevRealm({
    port: settings.devRealmPort,
    realm: realmExport,
    publicUrl: settings.keycloak.url,
  });
  const client = realmExport.clients.find((c) => c.clientId === settings.keycloak.clientId);
  return { issuer: realm.issuer, stop: realm.stop, clientSecret: client?.secret };
}
