import { afterAll, beforeAll, expect, it } from "vitest";
import { createConnection } from "../../server/databases/service";
import { ZConnectionCreate } from "../../server/databases/schemas";
import { listTenantsForPlan } from "../../server/tenants/service";
import { onDatabase } from "../support/database";
import { setUpControlPlane, type ControlPlaneEnv } from "../support/test-env";

/**
 * Plans of the whole fleet keep the registry's active tenants in memory while the tenants' change
 * counter (a trigger on console.tenants) reads the same. Any change to the tenants, also one made
 * outside the console, must show at the next read.
 */

let env: ControlPlaneEnv;
let connectionId: string;

beforeAll(async () => {
  env = await setUpControlPlane();
  const created = await createConnection(
    ZConnectionCreate.parse({
      name: "plans-list",
      host: env.server.host,
      port: env.server.port,
      database_name: "postgres",
      username: env.server.username,
      password: env.server.password,
      ssl_mode: "disable",
      connection_type: "shared",
      region: "eu",
      skip_test: true,
    }),
    "test",
  );
  connectionId = created.id;
  await sql(
    `insert into console.tenants (slug, name, region, connection_id, schema_name, created_by)
     select 't-' || j, 'Tenant ' || j, 'eu', $1::uuid, 'tenant_' || j, 'test' from generate_series(1, 5) j`,
    [connectionId],
  );
});

afterAll(async () => {
  await env.close();
});

const sql = (text: string, params: unknown[] = []) => onDatabase(env.controlPlane.url, text, params);
const slugs = (rows: readonly { slug: string }[]) => rows.map((r) => r.slug).sort();

it("answers from memory while no tenant changed, and sees every kind of change made outside the console", async () => {
  const first = await listTenantsForPlan();
  expect(slugs(first)).toEqual(["t-1", "t-2", "t-3", "t-4", "t-5"]);
  expect(await listTenantsForPlan()).toBe(first);

  await sql("update console.tenants set status = 'suspended' where slug = 't-2'");
  const second = await listTenantsForPlan();
  expect(slugs(second)).toEqual(["t-1", "t-3", "t-4", "t-5"]);

  await sql("insert into console.tenants (slug, name, region, connection_id, schema_name, created_by) values ('t-9', 'Nine', 'eu', $1, 'tenant_9', 'test')", [
    connectionId,
  ]);
  expect(slugs(await listTenantsForPlan())).toEqual(["t-1", "t-3", "t-4", "t-5", "t-9"]);

  await sql("delete from console.tenants where slug = 't-1'");
  expect(slugs(await listTenantsForPlan())).toEqual(["t-3", "t-4", "t-5", "t-9"]);

  await sql("update console.tenants set schema_name = 'tenant_moved' where slug = 't-3'");
  expect((await listTenantsForPlan()).find((t) => t.slug === "t-3")?.schemaName).toBe("tenant_moved");

  // A filtered read is never served from memory.
  expect(slugs(await listTenantsForPlan({ statuses: ["suspended"] }))).toEqual(["t-2"]);
});

it("reads every time when the counter's row is gone", async () => {
  await sql("delete from console.tenants_changes");
  const a = await listTenantsForPlan();
  const b = await listTenantsForPlan();
  expect(b).not.toBe(a);
  expect(slugs(b)).toEqual(slugs(a));
});
