import { and, asc, count, desc, eq, ilike, inArray, isNotNull, isNull, notExists, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { connections, targetStates, tenants } from "../db/schema";
import type { TenantStatus } from "../domain/fleet";
import type { StateRow, TierCount, Tx } from "./repository";

/**
 * Tenants with the state of their schema, a page at a time (GET /api/tenants). Nothing here reads a
 * fleet database. Measured at 100,000 tenants over 20 connections by bench/tenants-list.ts; the
 * figures in the comments below are from there (2 cores under a load of 11–13).
 */

export type TenantStateSort = "tenant" | "version" | "pending" | "last_run";

export interface TenantStateQuery {
  region?: string;
  status?: TenantStatus;
  connection_id?: string;
  search?: string;
  state?: "at_head" | "behind" | "failed" | "blocked" | "unknown";
  sort: TenantStateSort;
  order: "asc" | "desc";
  limit: number;
  offset: number;
}

export interface TenantStateRow {
  tenant: typeof tenants.$inferSelect;
  connectionName: string | null;
  state: StateRow | null;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const stateJoin = and(eq(targetStates.connectionId, tenants.connectionId), eq(targetStates.schemaName, tenants.schemaName));

/**
 * A fleet spread over more versions (or applied counts) than this is sorted over the join instead
 * of walked a value at a time: each value costs a query, and a page whose filter matches few
 * tenants could otherwise take one for every value present.
 */
const MAX_GROUPS = 50;

/** Ties of every order but the tenant one are broken by region and slug. */
const byName = [asc(tenants.region), asc(tenants.slug)];

/** Tenants of one value of the order's first key (`where`), in the order given (region and slug unless told). */
interface Group {
  where: SQL;
  order?: SQL[];
}

/**
 * One page of tenants with their state, and how many match. The page is chosen by tenant id first
 * (filters and order only), then only its rows are read whole with their connection and state:
 * joined whole, every row a deep offset skipped had its state fetched too (offset 50,000: 0.7–1.1 s;
 * by id it walks tenants_region_slug_idx alone, ~40 ms). The search, a substring of slug, name or
 * schema name, is served by the trigram index tenants_search_trgm_idx (0.35–0.85 s scanning every
 * row before it, ~10 ms with it). The state filters compare `applied_count` with the tenant tier's
 * catalog count (`behind`: below it, a range on target_states_tier_applied_idx); `failed` and
 * `blocked` read the partial indexes.
 */
export async function listTenantsWithState(
  db: Tx,
  q: TenantStateQuery,
  tier: TierCount | null,
): Promise<{ rows: TenantStateRow[]; total: number }> {
  const where: SQL[] = [];
  if (q.region) where.push(eq(tenants.region, q.region));
  if (q.status) where.push(eq(tenants.status, q.status));
  if (q.connection_id) where.push(eq(tenants.connectionId, q.connection_id));
  if (q.search) {
    const pattern = `%${escapeLike(q.search)}%`;
    where.push(or(ilike(tenants.slug, pattern), ilike(tenants.name, pattern), ilike(tenants.schemaName, pattern))!);
  }
  if (q.state) where.push(stateCondition(db, q.state, tier));
  const condition = where.length ? and(...where) : undefined;

  // Without a state filter the count needs the tenants alone.
  const counted = db.select({ n: count() }).from(tenants).$dynamic();
  if (q.state) counted.leftJoin(targetStates, stateJoin);
  const byGroups = (groups: Group[]) =>
    groups.length > MAX_GROUPS ? pageIds(db, q, condition) : groupedPageIds(db, q, condition, groups);
  const [ids, [totals]] = await Promise.all([
    q.sort === "version"
      ? versionGroups(db, q.order).then(byGroups)
      : q.sort === "pending"
        ? pendingGroups(db, q.order).then(byGroups)
        : q.sort === "last_run"
          ? byGroups(lastRunGroups(q.order))
          : pageIds(db, q, condition),
    counted.where(condition),
  ]);
  const rows =
    ids.length === 0
      ? []
      : await db
          .select({ tenant: tenants, connectionName: connections.name, state: targetStates })
          .from(tenants)
          .leftJoin(connections, eq(connections.id, tenants.connectionId))
          .leftJoin(targetStates, stateJoin)
          .where(inArray(tenants.id, ids))
          .orderBy(...tenantOrder(q));
  return { rows, total: totals?.n ?? 0 };
}

/** The page's tenant ids in the list's order; the states are joined only when the filter or order needs them. */
async function pageIds(db: Tx, q: TenantStateQuery, condition: SQL | undefined): Promise<string[]> {
  const page = db.select({ id: tenants.id }).from(tenants).$dynamic();
  if (q.state || q.sort !== "tenant") page.leftJoin(targetStates, stateJoin);
  const rows = await page.where(condition).orderBy(...tenantOrder(q)).limit(q.limit).offset(q.offset);
  return rows.map((r) => r.id);
}

/**
 * The page's tenant ids in an order whose first key is a state's (version, pending, last run), a
 * group at a time. Such an order's ties are broken by the tenant's region and slug, so no index
 * serves it whole: sorted over the join, every page cost a hash join of the registry with the
 * states (150–950 ms at 100,000). But a fleet has few distinct versions and applied counts, and
 * within one the order is tenants_region_slug_idx's; and the targets that ran are in the order of
 * target_states_last_run_idx. So the groups are walked in order (for version and pending, the
 * values present come from a loose index scan, one probe per value), each read by its own query
 * until the page is full: the planner walks the tenant index for a common value and reads the state
 * index for a rare one (a few ms each). Groups wholly before the offset are counted, not read.
 * Tenants without a value come last either way, as in the sorted join.
 */
async function groupedPageIds(db: Tx, q: TenantStateQuery, condition: SQL | undefined, groups: Group[]): Promise<string[]> {
  const ids: string[] = [];
  let skip = q.offset;
  for (const group of groups) {
    if (ids.length === q.limit) break;
    const inGroup = and(condition, group.where);
    if (skip > 0) {
      const [counted] = await db.select({ n: count() }).from(tenants).leftJoin(targetStates, stateJoin).where(inGroup);
      const n = counted?.n ?? 0;
      if (n <= skip) {
        skip -= n;
        continue;
      }
    }
    const rows = await db
      .select({ id: tenants.id })
      .from(tenants)
      .leftJoin(targetStates, stateJoin)
      .where(inGroup)
      .orderBy(...(group.order ?? byName))
      .limit(q.limit - ids.length)
      .offset(skip);
    skip = 0;
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

/** The version order's groups: versions shorter first, then digit by digit (see domain/versions); none last. */
async function versionGroups(db: Tx, order: "asc" | "desc"): Promise<Group[]> {
  // Plain SQL: a recursive loose index scan (one probe of target_states_version_idx per value) has no builder form.
  const present = await db.execute<{ k: string }>(sql`
    with recursive v(k) as (
      select min(version_key) from console.target_states
      union all
      select (select min(s.version_key) from console.target_states s where s.version_key > v.k) from v where v.k is not null
    )
    select k from v where k is not null`);
  const keys = present.rows.map((r) => r.k).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  if (order === "desc") keys.reverse();
  return [...keys.map((k) => ({ where: eq(targetStates.versionKey, k) })), { where: isNull(targetStates.versionKey) }];
}

/** The pending order's groups: more pending (fewer applied) first when ascending; never read last. */
async function pendingGroups(db: Tx, order: "asc" | "desc"): Promise<Group[]> {
  // Plain SQL: the same loose scan over target_states_tier_applied_idx, one probe per (tier, count).
  const present = await db.execute<{ n: number }>(sql`
    with recursive v(tier, n) as (
      (select tier, applied_count from console.target_states order by tier, applied_count limit 1)
      union all
      select x.tier, x.applied_count from v, lateral (
        select s.tier, s.applied_count from console.target_states s
        where (s.tier, s.applied_count) > (v.tier, v.n) order by s.tier, s.applied_count limit 1) x
    )
    select distinct n from v`);
  const counts = present.rows.map((r) => Number(r.n)).sort((a, b) => (order === "asc" ? b - a : a - b));
  return [...counts.map((n) => ({ where: eq(targetStates.appliedCount, n) })), { where: isNull(targetStates.appliedCount) }];
}

/**
 * The last-run order's groups: the tenants that ran, by when (ties by region and slug), served by
 * target_states_last_run_idx; then those that never ran, by region and slug.
 */
function lastRunGroups(order: "asc" | "desc"): Group[] {
  const when = order === "desc" ? desc(targetStates.lastRunAt) : asc(targetStates.lastRunAt);
  return [
    { where: isNotNull(targetStates.lastRunAt), order: [when, ...byName] },
    { where: isNull(targetStates.lastRunAt) },
  ];
}

const known = alias(targetStates, "known");

function stateCondition(db: Tx, state: NonNullable<TenantStateQuery["state"]>, tier: TierCount | null): SQL {
  const n = tier?.count ?? 0;
  switch (state) {
    case "unknown":
      // No state read, as an anti-join rather than "the joined state's checked_at is null": the
      // planner then expects few rows and finds a page by walking the tenant index (~20 ms at
      // 100,000, 2 % never read) instead of hash-joining everything for it (~250 ms).
      return notExists(
        db
          .select({ one: sql`1` })
          .from(known)
          .where(
            and(eq(known.connectionId, tenants.connectionId), eq(known.schemaName, tenants.schemaName), isNotNull(known.checkedAt)),
          ),
      );
    case "failed":
      return eq(targetStates.lastRunStatus, "failed");
    case "at_head":
      return and(eq(targetStates.tier, "tenant"), isNotNull(targetStates.checkedAt), sql`${targetStates.appliedCount} >= ${n}`)!;
    case "behind":
      return and(eq(targetStates.tier, "tenant"), isNotNull(targetStates.checkedAt), sql`${targetStates.appliedCount} < ${n}`)!;
    case "blocked":
      return tier?.broken
        ? or(
            isNotNull(targetStates.blockedCode),
            and(eq(targetStates.tier, "tenant"), isNotNull(targetStates.checkedAt), sql`${targetStates.appliedCount} < ${n}`),
          )!
        : isNotNull(targetStates.blockedCode);
  }
}

function tenantOrder(q: TenantStateQuery): SQL[] {
  const dir = (e: typeof tenants.slug | typeof tenants.region) => (q.order === "desc" ? desc(e) : asc(e));
  const nullsLast = (e: SQL) => sql`${e} ${sql.raw(q.order === "desc" ? "desc" : "asc")} nulls last`;
  switch (q.sort) {
    case "tenant":
      return [dir(tenants.region), dir(tenants.slug)];
    case "version":
      // Versions are numbers of any length: shorter first, then digit by digit (see domain/versions).
      return [nullsLast(sql`length(${targetStates.versionKey})`), nullsLast(sql`${targetStates.versionKey}`), ...byName];
    case "pending":
      // More pending means fewer applied: the order runs the other way round.
      return [sql`${targetStates.appliedCount} ${sql.raw(q.order === "desc" ? "asc" : "desc")} nulls last`, ...byName];
    case "last_run":
      return [nullsLast(sql`${targetStates.lastRunAt}`), ...byName];
  }
}
