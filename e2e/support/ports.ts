/** Ports of the console the browser tests start, away from a developer's own console. */
export const E2E = {
  port: Number(process.env.E2E_PORT ?? 3100),
  realmPort: Number(process.env.E2E_REALM_PORT ?? 8190),
  embeddedPgPort: Number(process.env.E2E_PG_PORT ?? 54390),
};

export const baseURL = `http://localhost:${E2E.port}`;

/**
 * Names of the databases the suite creates on TEST_DATABASE_URL's server start with this, so two
 * suites run side by side on other ports (E2E_PORT …) do not drop each other's databases.
 */
export const E2E_DB_PREFIX = process.env.E2E_DB_PREFIX ?? (process.env.E2E_PORT ? `e2e${process.env.E2E_PORT}` : "e2e");

/**
 * Ports for a console a spec starts beside the suite's own (embedded-restart, two-instances,
 * standalone-worker): offsets from the suite's block, so suites run on different blocks
 * (E2E_PORT, E2E_REALM_PORT, E2E_PG_PORT) never meet. With the default block they are the ports
 * these specs always used (3150/8191/54391, …).
 */
export function sidePorts(offset: { port: number; realm: number; pg: number }) {
  return { port: E2E.port + offset.port, realmPort: E2E.realmPort + offset.realm, pgPort: E2E.embeddedPgPort + offset.pg };
}
