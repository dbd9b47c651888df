import type pg from "pg";

/**
 * The rate limit's counters (`console.rate_limit_counters`). Plain SQL through the pool: one upsert
 * per request whose window start and reset come from the database's clock (shared by every console
 * instance), computed in the statement itself.
 */

type Queryable = Pick<pg.Pool, "query">;

/**
 * Counts one request for `key` in the current fixed window of `windowSeconds` (aligned to the
 * database clock), starting the count again when the caller's window rolled over. Returns the count
 * so far and the seconds until the window ends.
 */
export async function countRequest(
  pool: Queryable,
  key: string,
  windowSeconds: number,
): Promise<{ count: number; reset: number } | undefined> {
  const { rows } = await pool.query<{ count: number; reset: number }>(
    `insert into console.rate_limit_counters as c (key, window_start, count)
     values ($1, to_timestamp(floor(extract(epoch from now()) / $2) * $2), 1)
     on conflict (key) do update
       set count = case when c.window_start = excluded.window_start then c.count + 1 else 1 end,
           window_start = excluded.window_start
     returning count, ceil(extract(epoch from (window_start + make_interval(secs => $2)) - now()))::int as reset`,
    [key, windowSeconds],
  );
  return rows[0];
}

/** Deletes counters whose window started more than `keepSeconds` ago; returns how many. */
export async function deleteCountersOlderThan(pool: Queryable, keepSeconds: number): Promise<number> {
  const { rowCount } = await pool.query("delete from console.rate_limit_counters where window_start < now() - make_interval(secs => $1)", [
    keepSeconds,
  ]);
  return rowCount ?? 0;
}
