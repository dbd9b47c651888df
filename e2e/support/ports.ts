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
