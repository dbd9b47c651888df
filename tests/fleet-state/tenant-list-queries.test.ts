import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createControlPlane } from "../../server/db/client";
import { listTenantsWithState, type TenantStateQuery } from "../../server/fleet-state/tenant-list-repository";
import { createControlPlaneDatabase, onDatabase, type TestDatabase } from "../support/database";

/**
 * The Tenants list's query (server/fleet-state/tenant-list-repository.ts) on a real control plane, against a
 * reference computed here from the seeded rows: the substring search over slug, name and schema
 * name (served by the trigram index), filters combined, every sort, and pages that cover every
 * tenant exactly once in the order of the whole list. The page is chosen by id before its rows are
 * read whole, so these hold that the two steps agree.
 *
 * 30 tenants over three connections (eu shared, eu dedicated, us shared); the tenant tier's catalog
 * has 4 migrations. By i % 5: 0 never read (no state row), 1 at head (0004), 2 behind (0002),
 * 3 behind (0003) with a failed last run, 4 blocked by drift at 0010 (its key sorts after 4). The
 * shared database's own state, at a version no tenant has, is in the store too, and so is a row
 * for acct20 that was never read.
 */

const CATALOG = { count: 4, broken: false };
const EU_SHARED = "00000000-0000-4000-8000-0000000000e1";
const EU_OWN = "00000000-0000-4000-8000-0000000000e2";
const US_SHARED = "00000000-0000-4000-8000-0000000000a1";

interface Seed {
  slug: string;
  name: string;
  schema: string;
  region: string;
  connection: string;
  status: "active" | "suspended";
  state: null | { version: string; applied: number; failed: boolean; blocked: boolean; lastRunAt: string | null };
}

const SPECIAL_NAMES: Record<number, string> = { 5: "Growth 50% Ltd", 7: "Blue_Ocean", 11: "Zephyr Holdings" };
const seeds: Seed[] = Array.from({ length: 30 }, (_, i) => {
  const pad = String(i).padStart(2, "0");
  const eu = i % 2 === 0;
  const kind = i % 5;
  const version = ["", "0004", "0002", "0003", "0010"][kind]!;
  return {
    slug: `acct${pad}`,
    name: SPECIAL_NAMES[i] ?? `Customer ${pad}`,
    schema: i === 9 ? "legacy_zeta" : `tenant_acct${pad}`,
    region: eu ? "eu" : "us",
    connection: eu ? (i % 4 === 0 ? EU_SHARED : EU_OWN) : US_SHARED,
    status: i % 6 === 5 ? "suspended" : "active",
    state:
      kind === 0
        ? null
        : {
            version,
            applied: [0, 4, 2, 3, 4][kind]!,
            failed: kind === 3,
            blocked: kind === 4,
            // Distinct times, not in slug order, for the last_run sort.
            lastRunAt: kind === 3 || kind === 1 ? new Date(Date.UTC(2026, 0, 1, 0, (i * 7) % 30)).toISOString() : null,
          },
  };
});

let cp: TestDatabase;
let control: ReturnType<typeof createControlPlane>;

beforeAll(async () => {
  cp = await createControlPlaneDatabase("tlist");
  control = createControlPlane(cp.url, { min: 0, max: 2 });
  const lit = (v: string | null) => (v === null ? "null" : `'${v.replaceAll("'", "''")}'`);
  await onDatabase(
    cp.url,
    `insert into console.connections (id, name, host, database_name, username, connection_type, region, created_by) values
       ('${EU_SHARED}', 'shared-eu', 'db.internal', 'eu', 'u', 'shared', 'eu', 't'),
       ('${EU_OWN}', 'own-eu', 'db.internal', 'eu_own', 'u', 'tenant', 'eu', 't'),
       ('${US_SHARED}', 'shared-us', 'db.internal', 'us', 'u', 'shared', 'us', 't');
     insert into console.tenants (slug, name, region, connection_id, schema_name, status, created_by) values
       ${seeds.map((s) => `(${lit(s.slug)}, ${lit(s.name)}, ${lit(s.region)}, '${s.connection}', ${lit(s.schema)}, '${s.status}', 't')`).join(",\n")};
     insert into console.target_states (connection_id, schema_name, tier, version, version_key, applied_count, blocked_code,
       blocked_message, checked_at, last_execution_id, last_run_kind, last_run_status, last_run_at) values
       ${seeds
         .filter((s) => s.state)
         .map((s) => {
           const st = s.state!;
           const run = st.lastRunAt ? `gen_random_uuid(), 'migrate', '${st.failed ? "failed" : "succeeded"}', '${st.lastRunAt}'` : "null, null, null, null";
           return `('${s.connection}', ${lit(s.schema)}, 'tenant', ${lit(st.version)}, ${lit(st.version.replace(/^0+/, ""))}, ${st.applied},
             ${st.blocked ? "'drift'" : "null"}, ${st.blocked ? "'changed by hand'" : "null"}, now(), ${run})`;
         })
         .join(",\n")},
       -- The eu shared database's own schema: a version no tenant has (the version order passes it by).
       ('${EU_SHARED}', 'public', 'shared', '0099', '99', 1, null, null, now(), null, null, null, null),
       -- acct20: a state row that was never read (a run that could not connect leaves one): still never read.
       ('${EU_SHARED}', 'tenant_acct20', 'tenant', null, null, 0, null, null, null, null, null, null, null);`,
  );
});

afterAll(async () => {
  await control?.pool.end();
  await cp?.drop();
});

const query = (q: Partial<TenantStateQuery> = {}): TenantStateQuery => ({ sort: "tenant", order: "asc", limit: 500, offset: 0, ...q });

async function list(q: Partial<TenantStateQuery> = {}) {
  const { rows, total } = await listTenantsWithState(control.db, query(q), CATALOG);
  return { slugs: rows.map((r) => r.tenant.slug), total, rows };
}

const byRegionSlug = (a: Seed, b: Seed) => (a.region === b.region ? (a.slug < b.slug ? -1 : 1) : a.region < b.region ? -1 : 1);
const slugsOf = (xs: Seed[]) => xs.map((s) => s.slug);
const matching = (test: (s: Seed) => boolean) => slugsOf(seeds.filter(test).sort(byRegionSlug));
const isState = {
  unknown: (s: Seed) => s.state === null,
  at_head: (s: Seed) => s.state !== null && s.state.applied >= CATALOG.count,
  behind: (s: Seed) => s.state !== null && s.state.applied < CATALOG.count,
  failed: (s: Seed) => s.state?.failed === true,
  blocked: (s: Seed) => s.state?.blocked === true,
};

describe("search: a substring of slug, name or schema name, in any case", () => {
  it("finds a tenant by part of its slug, its name or its schema name alone", async () => {
    expect((await list({ search: "CCT1" })).slugs).toEqual(matching((s) => s.slug.includes("cct1")));
    expect((await list({ search: "phyr hold" })).slugs).toEqual(["acct11"]);
    expect((await list({ search: "ZETA" })).slugs).toEqual(["acct09"]);
    const byNumber = await list({ search: "acct2" });
    expect(byNumber.total).toBe(10);
    expect(byNumber.slugs).toEqual(matching((s) => s.slug.startsWith("acct2")));
  });

  it("takes % and _ literally, and a text too short for trigrams still matches", async () => {
    expect((await list({ search: "50%" })).slugs).toEqual(["acct05"]);
    expect((await list({ search: "e_o" })).slugs).toEqual(["acct07"]);
    expect((await list({ search: "t0" })).slugs).toEqual(matching((s) => s.slug.includes("t0") || s.schema.includes("t0")));
    expect((await list({ search: "nobody-here" })).total).toBe(0);
  });

  it("is served by the trigram index when the planner may not read the table in full", async () => {
    const plan = await control.pool.connect();
    try {
      await plan.query("begin; set local enable_seqscan = off");
      const { rows } = await plan.query<{ "QUERY PLAN": string }>(
        "explain select id from console.tenants where slug ilike $1 or name ilike $1 or schema_name ilike $1",
        ["%zeta%"],
      );
      expect(rows.map((r) => r["QUERY PLAN"]).join("\n")).toContain("tenants_search_trgm_idx");
    } finally {
      await plan.query("rollback");
      plan.release();
    }
  });
});

describe("filters combine", () => {
  it("region, status, connection, search and state each narrow the list, and together", async () => {
    expect((await list({ region: "eu" })).slugs).toEqual(matching((s) => s.region === "eu"));
    expect((await list({ connection_id: EU_OWN })).slugs).toEqual(matching((s) => s.connection === EU_OWN));
    for (const state of ["unknown", "at_head", "behind", "failed", "blocked"] as const) {
      const got = await list({ state });
      expect(got.slugs, state).toEqual(matching(isState[state]));
      expect(got.total, state).toBe(got.slugs.length);
      const combined = await list({ state, region: "us", status: "active", search: "acct1" });
      const want = matching((s) => isState[state](s) && s.region === "us" && s.status === "active" && s.slug.includes("acct1"));
      expect(combined.slugs, `${state} with region, status and search`).toEqual(want);
      expect(combined.total).toBe(want.length);
    }
  });

  it("the total counts every match while the page holds at most limit rows", async () => {
    const page = await list({ region: "eu", state: "at_head", limit: 2 });
    expect(page.slugs).toEqual(matching((s) => s.region === "eu" && isState.at_head(s)).slice(0, 2));
    expect(page.total).toBe(matching((s) => s.region === "eu" && isState.at_head(s)).length);
  });

  it("each row carries its own connection's name and state", async () => {
    const { rows } = await list({ search: "acct03" });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.connectionName).toBe("shared-us");
    expect(rows[0]!.state).toMatchObject({ version: "0003", appliedCount: 3, lastRunStatus: "failed" });
    expect((await list({ search: "acct00" })).rows[0]!.state).toBeNull();
  });
});

describe("sorting and paging", () => {
  const versionKey = (s: Seed) => (s.state ? s.state.version.replace(/^0+/, "") : null);
  const compareVersion = (a: Seed, b: Seed, desc: boolean) => {
    const ka = versionKey(a);
    const kb = versionKey(b);
    if (ka === null || kb === null) return ka === kb ? 0 : ka === null ? 1 : -1; // never read: last either way
    const c = ka.length - kb.length || (ka < kb ? -1 : ka > kb ? 1 : 0);
    return desc ? -c : c;
  };

  it("orders by region and slug, either way, and by version with the never read last", async () => {
    const asc = [...seeds].sort(byRegionSlug);
    expect((await list()).slugs).toEqual(slugsOf(asc));
    expect((await list({ order: "desc" })).slugs).toEqual(slugsOf([...asc].reverse()));
    for (const desc of [false, true]) {
      const want = slugsOf([...seeds].sort((a, b) => compareVersion(a, b, desc) || byRegionSlug(a, b)));
      expect((await list({ sort: "version", order: desc ? "desc" : "asc" })).slugs).toEqual(want);
    }
  });

  it("orders by version the same when the store holds more versions than are walked one at a time", async () => {
    // 60 more versions in the store (schemas of the shared database that no tenant has): the list
    // then sorts over the join instead of walking the versions present.
    await onDatabase(
      cp.url,
      `insert into console.target_states (connection_id, schema_name, tier, version, version_key, applied_count, checked_at)
       select '${EU_SHARED}', 'spare_' || n, 'shared', (1000 + n)::text, (1000 + n)::text, 1, now() from generate_series(1, 60) n`,
    );
    try {
      for (const desc of [false, true]) {
        const want = slugsOf([...seeds].sort((a, b) => compareVersion(a, b, desc) || byRegionSlug(a, b)));
        const order = desc ? "desc" : "asc";
        expect((await list({ sort: "version", order })).slugs).toEqual(want);
        const paged: string[] = [];
        for (let offset = 0; offset < seeds.length; offset += 7) paged.push(...(await list({ sort: "version", order, limit: 7, offset })).slugs);
        expect(paged).toEqual(want);
      }
    } finally {
      await onDatabase(cp.url, "delete from console.target_states where schema_name like 'spare\\_%'");
    }
  });

  it("orders by pending: most pending first when ascending, fewest when descending, never read last", async () => {
    // acct20's row was never read: it is ordered by the count it stores (0), as before any read.
    const applied = (s: Seed) => s.state?.applied ?? (s.slug === "acct20" ? 0 : null);
    for (const desc of [false, true]) {
      const want = slugsOf(
        [...seeds].sort((a, b) => {
          const x = applied(a);
          const y = applied(b);
          if (x === null || y === null) return (x === y ? 0 : x === null ? 1 : -1) || byRegionSlug(a, b);
          return (desc ? x - y : y - x) || byRegionSlug(a, b);
        }),
      );
      expect((await list({ sort: "pending", order: desc ? "desc" : "asc" })).slugs).toEqual(want);
    }
  });

  it("orders by last run, either way, with the tenants that never ran last", async () => {
    const when = (s: Seed) => s.state?.lastRunAt ?? null;
    for (const desc of [false, true]) {
      const want = slugsOf(
        [...seeds].sort((a, b) => {
          const x = when(a);
          const y = when(b);
          if (x === null || y === null) return (x === y ? 0 : x === null ? 1 : -1) || byRegionSlug(a, b);
          return (desc ? (x < y ? 1 : -1) : x < y ? -1 : 1) || byRegionSlug(a, b);
        }),
      );
      expect((await list({ sort: "last_run", order: desc ? "desc" : "asc" })).slugs).toEqual(want);
    }
  });

  it("offset pages of every sort cover every tenant exactly once, in the whole list's order", async () => {
    for (const sort of ["tenant", "version", "pending", "last_run"] as const) {
      for (const order of ["asc", "desc"] as const) {
        for (const filter of [{}, { region: "eu" }, { state: "behind" as const }]) {
          const whole = await list({ sort, order, ...filter });
          const paged: string[] = [];
          for (let offset = 0; offset < whole.total + 7; offset += 7) {
            const page = await list({ sort, order, ...filter, limit: 7, offset });
            expect(page.total).toBe(whole.total);
            paged.push(...page.slugs);
          }
          expect(paged, `${sort} ${order} ${JSON.stringify(filter)}`).toEqual(whole.slugs);
          expect(new Set(paged).size).toBe(whole.total);
        }
      }
    }
  });
});
