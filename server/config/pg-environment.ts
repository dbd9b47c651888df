/**
 * Variables node-postgres reads from the environment for every session that does not set them
 * itself. Fleet sessions are made from a registered database's details alone, and the control
 * plane's from DATABASE_URL (which carries `?options=` when it needs any), yet these would reach
 * both: `PGOPTIONS=-c default_transaction_read_only=on` in an operator's shell makes every
 * migration fail, a `statement_timeout` there cuts long ones short, `PGREPLICATION` opens
 * replication sessions. (Connection details and TLS are always given explicitly; PGPASSWORD is
 * kept from fleet sessions in fleet/connection-target.ts.)
 */
export const SESSION_ENV_KEYS = ["PGOPTIONS", "PGREPLICATION", "PGBINARY", "PGCLIENT_ENCODING", "PGSSLNEGOTIATION", "PGAPPNAME"] as const;

/**
 * Removes those variables from this process's environment before any session opens; returns the
 * names that were set, for the start-up log.
 */
export function ignoreSessionEnvironment(env: NodeJS.ProcessEnv = process.env): string[] {
  const ignored = SESSION_ENV_KEYS.filter((key) => env[key] !== undefined);
  for (const key of ignored) delete env[key];
  return ignored;
}
