// The development realm as its own process: `npx tsx server/auth/dev-realm/main.ts`.
// Port from DEV_REALM_PORT (default 8089), realm file from DEV_REALM_FILE (default deploy/keycloak/realm.json).
import { getSettings } from "../../config/settings";
import { DEFAULT_REALM_FILE, loadRealmFile } from "./realm-file";
import { assertDevRealmAllowed, startDevRealm } from "./start-dev-realm";

async function main() {
  assertDevRealmAllowed();
  const realmFile = process.env.DEV_REALM_FILE || DEFAULT_REALM_FILE;
  const realm = await startDevRealm({ port: getSettings().devRealmPort, realmFile });
  const users = loadRealmFile(realmFile)
    .users.filter((u) => !u.serviceAccountClientId)
    .map((u) => u.username);
  process.stdout.write(
    `development realm "${realm.realm}" at ${realm.issuer}\n` +
      `  discovery: ${realm.issuer}/.well-known/openid-configuration\n` +
      `  users: ${users.join(", ")} (development passwords, see ${realmFile})\n`,
  );
  const stop = () => {
    realm.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
