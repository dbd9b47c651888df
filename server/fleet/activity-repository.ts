import type pg from "pg";

/**
 * What a fleet database's sessions are doing: naming the console's own migration sessions, and
 * reading which of them wait on a lock and who holds it. Plain SQL on a session the caller holds:
 * these are the server's statistics views and catalog functions, with no table for drizzle.
 */

type Queryable = Pick<pg.ClientBase, "query">;

/** Names the session in pg_stat_activity (what DBAs, and the lock view, see of it). */
export async function setApplicationName(client: Queryable, name: string): Promise<void> {
  await client.query("select set_config('application_name', $1, false)", [name]);
}

export interface LockBlocker {
  pid: number;
  application_name: string | null;
  user: string | null;
  state: string | null;
  query_start: string | null;
  xact_start: string | null;
  /** Modes it holds on the object the waiter wants (empty when it only queues ahead for one). */
  held_modes: string[];
  /** The mode it is itself waiting for, when it is queued ahead of the waiter rather than holding. */
  waiting_for_mode: string | null;
}

export interface SessionLockState {
  application_name: string;
  pid: number;
  state: string | null;
  wait_event_type: string | null;
  wait_event: string | null;
  query_start: Date | null;
  /** The lock it waits for: pg_locks' locktype, the mode wanted, the relation when there is one. */
  locktype: string | null;
  wanted_mode: string | null;
  relation: string | null;
  /** pg_locks.waitstart (PostgreSQL 14+; null before). */
  waiting_since: string | null;
  blockers: LockBlocker[];
}

/**
 * The sessions named in `applicationNames` on this database server, each with the lock it waits
 * for (if any) and the sessions pg_blocking_pids names as blocking it: holders of a conflicting
 * lock, or sessions queued ahead for one. `waitstart` is read through to_jsonb so the query runs
 * on PostgreSQL 13, which lacks the column. Sessions of other roles show their pid, application
 * name and lock modes to any role; their state and times need pg_read_all_stats (or pg_monitor).
 */
export async function readSessionLocks(client: Queryable, applicationNames: readonly string[]): Promise<SessionLockState[]> {
  if (applicationNames.length === 0) return [];
  const { rows } = await client.query<SessionLockState>(
    `select a.application_name, a.pid, a.state, a.wait_event_type, a.wait_event, a.query_start,
            w.locktype, w.mode as wanted_mode,
            case when w.relation is not null then w.relation::regclass::text end as relation,
            to_jsonb(w) ->> 'waitstart' as waiting_since,
            coalesce(b.blockers, '[]'::json) as blockers
       from pg_stat_activity a
       left join lateral (
         select l.* from pg_locks l where l.pid = a.pid and not l.granted limit 1
       ) w on true
       left join lateral (
         select json_agg(json_build_object(
                  'pid', bp.pid,
                  'application_name', h.application_name,
                  'user', h.usename,
                  'state', h.state,
                  'query_start', h.query_start,
                  'xact_start', h.xact_start,
                  'held_modes', (
                    select coalesce(array_agg(distinct hl.mode order by hl.mode), '{}')
                      from pg_locks hl
                     where hl.pid = bp.pid and hl.granted and hl.locktype = w.locktype
                       and hl.database is not distinct from w.database and hl.relation is not distinct from w.relation
                       and hl.page is not distinct from w.page and hl.tuple is not distinct from w.tuple
                       and hl.virtualxid is not distinct from w.virtualxid
                       and hl.transactionid is not distinct from w.transactionid
                       and hl.classid is not distinct from w.classid and hl.objid is not distinct from w.objid
                       and hl.objsubid is not distinct from w.objsubid),
                  'waiting_for_mode', (select ql.mode from pg_locks ql where ql.pid = bp.pid and not ql.granted limit 1)
                ) order by bp.pid) as blockers
           from unnest(pg_blocking_pids(a.pid)) as bp(pid)
           left join pg_stat_activity h on h.pid = bp.pid
       ) b on w.pid is not null
      where a.application_name = any($1::text[])`,
    [applicationNames],
  );
  return rows;
}
