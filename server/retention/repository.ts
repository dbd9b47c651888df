import type pg from "pg";

/**
 * What retention deletes from the control plane, and the lock that lets one console instance prune
 * at a time. Plain SQL on one session the caller holds: a session advisory lock belongs to that
 * session, and each delete is a bounded batch (`where id in (select … limit $2)`), which drizzle's
 * delete builder cannot express.
 */

/** Only one console instance prunes at a time (a session advisory lock, tried, never waited for). */
const RETENTION_LOCK_KEY = 7_310_442_017;

/** Takes the retention lock on this session if it is free; false when another instance holds it. */
export async function tryRetentionLock(client: pg.ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>("select pg_try_advisory_lock($1) as locked", [RETENTION_LOCK_KEY]);
  return rows[0]?.locked ?? false;
}

export async function releaseRetentionLock(client: pg.ClientBase): Promise<void> {
  await client.query("select pg_advisory_unlock($1)", [RETENTION_LOCK_KEY]);
}

/** Deletes up to `batch` events of executions that finished more than `days` days ago; returns how many. */
export async function deleteFinishedExecutionEvents(client: pg.ClientBase, days: number, batch: number): Promise<number> {
  const { rowCount } = await client.query(
    `delete from console.execution_events where id in (
       select e.id from console.execution_events e
         join console.executions x on x.id = e.execution_id
        where x.completed_at < now() - make_interval(days => $1)
        limit $2)`,
    [days, batch],
  );
  return rowCount ?? 0;
}

/** Deletes up to `batch` audit rows older than `days` days, oldest first; returns how many. */
export async function deleteAuditRowsOlderThan(client: pg.ClientBase, days: number, batch: number): Promise<number> {
  const { rowCount } = await client.query(
    `delete from console.audit_log where id in (
       select id from console.audit_log where at < now() - make_interval(days => $1) order by at limit $2)`,
    [days, batch],
  );
  return rowCount ?? 0;
}

/**
 * Deletes up to `batch` webhook deliveries that ended (succeeded, or failed for good) more than
 * `days` days ago; queued and retrying ones are never touched. Returns how many.
 */
export async function deleteSettledWebhookDeliveries(client: pg.ClientBase, days: number, batch: number): Promise<number> {
  const { rowCount } = await client.query(
    `delete from console.webhook_deliveries where id in (
       select id from console.webhook_deliveries
        where status in ('succeeded', 'failed') and created_at < now() - make_interval(days => $1)
        limit $2)`,
    [days, batch],
  );
  return rowCount ?? 0;
}

/**
 * Deletes up to `batch` stored histories (console.remembered_histories) of schemas that are no
 * longer a registered target of their connection: neither a tenant's schema there nor the
 * connection's own. Returns how many. (A connection removed takes its rows with it already.)
 */
export async function deleteUnregisteredStoredHistories(client: pg.ClientBase, _days: number, batch: number): Promise<number> {
  const { rowCount } = await client.query(
    `delete from console.remembered_histories r
      where (r.connection_id, r.schema_name) in (
        select h.connection_id, h.schema_name from console.remembered_histories h
         where not exists (select 1 from console.tenants t where t.connection_id = h.connection_id and t.schema_name = h.schema_name)
           and not exists (select 1 from console.connections c where c.id = h.connection_id and c.schema_name = h.schema_name)
         limit $1)`,
    [batch],
  );
  return rowCount ?? 0;
}
