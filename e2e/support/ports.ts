/** Ports of the console the browser tests start, away from a developer's own console. */
export const E2E = {
  port: Number(process.env.E2E_PORT ?? 3100),
  realmPort: Number(process.env.E2E_REALM_PORT ?? 8190),
  embeddedPgPort: Number(process.env.E2E_PG_PORT ?? 54390),
};

export const baseURL = `http://localhost:${E2E.port}`;
