import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as migrateRoute from "../../app/api/tenants/[id]/migrate/route";
import * as migrationsRoute from "../../app/api/tenants/[id]/migrations/route";
import { getDb } from "../../server/db/client";
import { tenants } from "../../server/db/schema";
import { loadCatalog } from "../../server/migrations/engine/catalog";
import { call } from "../support/api-call";
import { EXAMPLES_DIR } from "../support/example-catalog";
import { onDatabase } from "../support/database";
import { executeOrThrow, waitForEnd } from "./exec-helpers";
import { startExecutionEnv, stopExecutionEnv, type ExecutionEnv } from "./execution-env";

/** A tenant's migrations page and migrating one tenant, through the real routes. */

let env: ExecutionEnv;

beforeAll(async () => {
  env = await startExecutionEnv({ regions: ["eu"], tenantsPerRegion: 2, prefix: "tapi" });
});

afterAll(() => stopExecutionEnv(env));

const migrations = (id: string, token = env.tokens.viewer) => call(migrationsRoute.GET, "GET", `/api/tenants/${id}/migrations`, { token, params: { id } });
const migrate = (id: string, body: Record<string, unknown>, token = env.tokens.operator) =>
  call(migrateRoute.POST, "POST", `/api/tenants/${id}/migrate`, { token, params: { id }, body });

describe("GET /api/tenants/{id}/migrations", () => {
  it("shows pending migrations and what blocks them before anything ran", async () => {
    const catalog = await loadCatalog(EXAMPLES_DIR);
    const res = await migrations(env.fleet.tenants[0]!.id);
    expect(res.status, res.text).toBe(200);
    expect(res.json.tenant).toMatchObject({ slug: env.fleet.tenants[0]!.slug, status: "active", connection_name: "shared-eu" });
    expect(res.json.applied).toEqual([]);
    expect(res.json.pending.map((m: { id: string }) => m.id)).toEqual(catalog.byTier.tenant.map((m) => m.id));
    expect(res.json.target.status).toBe("blocked");
    expect(res.json.target.blocked_reasons.join(" ")).toContain("shared/0001_currencies");
  });

  it("404 for an unknown tenant, 401 without a token", async () => {
    expect((await migrations("00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await call(migrationsRoute.GET, "GET", "/x", { params: { id: env.fleet.tenants[0]!.id } })).status).toBe(401);
  });
});

describe("POST /api/tenants/{id}/migrate", () => {
  it("migrates exactly that tenant; its page then lists what was applied, by whom and in which execution", async () => {
    for (const scope of [{ scope: "admin" }, { scope: "single", database_id: env.fleet.shared.eu!.id }]) {
      expect((await waitForEnd(env.tokens.viewer, await executeOrThrow(env.tokens.operator, scope))).status).toBe("completed");
    }
    const [tenant, other] = env.fleet.tenants;
    expect((await migrate(tenant!.id, {}, env.tokens.viewer)).status).toBe(403);

    const pinned = (await migrations(tenant!.id)).json.fingerprint;
    const res = await migrate(tenant!.id, { plan_fingerprint: pinned });
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ scope: "single", params: { tenant_id: tenant!.id }, metadata: { tenant_slug: tenant!.slug } });
    expect(res.json.targets).toHaveLength(1);
    const done = await waitForEnd(env.tokens.viewer, res.json.id);
    expect(done.status).toBe("completed");

    const page = (await migrations(tenant!.id)).json;
    expect(page.pending).toEqual([]);
    expect(page.target.status).toBe("up_to_date");
    expect(page.applied).toHaveLength(6);
    for (const a of page.applied) expect(a).toMatchObject({ state: "applied", execution_id: res.json.id, applied_by: "operator", drift: false });
    // The other tenant was not touched.
    expect((await migrations(other!.id)).json.applied).toEqual([]);

    // The pinned fingerprint no longer matches: refused with what changed.
    const stale = await migrate(tenant!.id, { plan_fingerprint: pinned });
    expect(stale.status).toBe(409);
  });

  it("flags drift on the page", async () => {
    const tenant = env.fleet.tenants[0]!;
    await onDatabase(env.fleet.shared.eu!.db.url, `update "${tenant.schema}"._schema_migrations set checksum = 'edited' where version = '0002'`);
    const page = (await migrations(tenant.id)).json;
    expect(page.applied.find((a: { version: string }) => a.version === "0002")).toMatchObject({ drift: true, id: "tenant/0002_contacts" });
    expect(page.target).toMatchObject({ status: "blocked", drift: [expect.objectContaining({ id: "tenant/0002_contacts" })] });
  });

  it("a suspended tenant's page still shows; migrating it is refused (409)", async () => {
    const tenant = env.fleet.tenants[1]!;
    await getDb().update(tenants).set({ status: "suspended" }).where(eq(tenants.id, tenant.id));
    expect((await migrations(tenant.id)).json.tenant.status).toBe("suspended");
    const res = await migrate(tenant.id, { dry_run: true });
    expect(res.status).toBe(409);
    expect(res.json.message).toContain("suspended");
  });
});
