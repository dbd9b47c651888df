import { getDb } from "../db/client";
import type { Connection } from "../databases/schemas";
import { resolveConnectionOrThrow } from "../databases/service";
import { violatedUniqueConstraint } from "../databases/pg-constraint";
import { describeConnectionError } from "../fleet/connection-error";
import { withFleetClient } from "../fleet/fleet-client";
import { schemaNameProblem } from "../fleet/identifiers";
import { MESSAGE_ITEMS, firstOf, listSome } from "../errors/list-some";
import { AppError, conflict } from "../errors/app-error";
import { listSchemas } from "./fleet-repository";
import * as repo from "./repository";
import { type DiscoverQuery, type DiscoverRegister, type DiscoverResult, type Tenant, zSlug } from "./schemas";
import { hostingConnectionOrThrow, regionFor, registeredSchemaNames, tenantTarget, toTenant } from "./service";
import { writeWithoutTargetClash } from "../databases/target-overlaps";

/**
 * Discovery: schemas that already exist on a shared (or tenant) database but are not registered
 * yet — a fleet adopted by the console, or tenants created by another tool — listed by a LIKE
 * pattern and registered in one all-or-nothing call.
 */

/** `tenant_acme_corp` → `acme-corp`; null when no valid slug comes out. */
export function slugFromSchema(schemaName: string): string | null {
  const base = schemaName.replace(/^tenant_/, "").replace(/_+/g, "-").replace(/^-+|-+$/g, "");
  return zSlug.safeParse(base).success ? base : null;
}

/** `acme-corp` → `Acme Corp`. */
export function nameFromSlug(slug: string): string {
  return slug
    .split("-")
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(" ");
}

export async function discoverSchemas(query: DiscoverQuery): Promise<DiscoverResult> {
  const connection = await hostingConnectionOrThrow(query.connection_id);
  const found = await schemasOn(connection, query.pattern);
  const registered = await registeredSchemaNames(connection.id);
  const unregistered = found.filter((s) => !registered.has(s));
  const candidates = unregistered.slice(0, query.limit);
  const slugs = candidates.map(slugFromSchema);
  const taken = new Set(
    (await repo.findTenantsBySlugs(getDb(), slugs.filter((s): s is string => s !== null))).map((t) => t.slug),
  );
  return {
    connection_id: connection.id,
    connection_name: connection.name,
    pattern: query.pattern,
    total: unregistered.length,
    schemas: candidates.map((schemaName, i) => {
      const slug = slugs[i] ?? null;
      const nameProblem = schemaNameProblem(schemaName);
      const problem = nameProblem
        ? `schema name ${nameProblem}`
        : !slug
          ? "no slug can be derived from this name: give one when registering"
          : taken.has(slug)
            ? `slug ${slug} is taken by another tenant: give another one when registering`
            : null;
      return { schema_name: schemaName, suggested_slug: slug, suggested_name: nameFromSlug(slug ?? schemaName), problem };
    }),
  };
}

/**
 * Registers discovered schemas as tenants in one statement: every entry is checked (schema exists
 * on the connection and is unregistered, slug valid and free) and either all become tenants or none.
 */
export async function registerDiscovered(input: DiscoverRegister, actor: string): Promise<{ items: Tenant[] }> {
  const connection = await hostingConnectionOrThrow(input.connection_id);
  const problems: Array<{ field: string; message: string; code: string }> = [];
  const entries = input.tenants.map((t, i) => {
    const slug = t.slug ?? slugFromSchema(t.schema_name);
    if (!slug) problems.push({ field: `tenants.${i}.slug`, message: "no slug can be derived from the schema name: give one", code: "custom" });
    let region = "";
    try {
      region = regionFor(connection, t.region);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      problems.push({ field: `tenants.${i}.region`, message: error.message, code: "custom" });
    }
    return { index: i, slug: slug ?? "", region, ...t };
  });
  duplicates(entries.map((e) => e.schema_name)).forEach((i) =>
    problems.push({ field: `tenants.${i}.schema_name`, message: "listed twice", code: "custom" }),
  );
  duplicates(entries.map((e) => e.slug)).forEach((i) =>
    problems.push({ field: `tenants.${i}.slug`, message: "listed twice", code: "custom" }),
  );
  const existing = new Set(await schemasOn(connection, null, entries.map((e) => e.schema_name)));
  for (const e of entries) {
    if (!existing.has(e.schema_name)) {
      problems.push({
        field: `tenants.${e.index}.schema_name`,
        message: `schema ${e.schema_name} does not exist on ${connection.name}`,
        code: "custom",
      });
    }
  }
  if (problems.length > 0) {
    throw new AppError("validation_error", `invalid body: ${listSome(problems.map((p) => `${p.field}: ${p.message}`), MESSAGE_ITEMS, "; ")}`, {
      location: "body",
      fields: firstOf(problems),
      field_count: problems.length,
    });
  }

  const db = getDb();
  const clashes = [
    ...(await repo.findTenantsInSchemas(db, connection.id, entries.map((e) => e.schema_name))).map(
      (t) => `schema ${t.schemaName} is already tenant ${t.slug}`,
    ),
    ...(await repo.findTenantsBySlugs(db, entries.map((e) => e.slug))).map((t) => `slug ${t.slug} is taken`),
  ];
  if (clashes.length > 0) {
    throw conflict(`nothing registered: ${listSome(clashes, MESSAGE_ITEMS, "; ")}`, { conflicts: firstOf(clashes), count: clashes.length });
  }

  const active = input.status === "active" && connection.is_active;
  const targets = active ? entries.map((e) => tenantTarget(connection, e.schema_name, `tenants.${e.index}.schema_name`)) : [];
  const rows = entries.map((e) => ({
    slug: e.slug,
    name: e.name ?? nameFromSlug(e.slug),
    region: e.region,
    connectionId: connection.id,
    schemaName: e.schema_name,
    status: input.status,
    metadata: { ...e.metadata, discovered: true },
    createdBy: actor,
    updatedBy: actor,
  }));
  try {
    const inserted = await writeWithoutTargetClash(targets, {}, (tx) => repo.insertTenants(tx, rows));
    return { items: inserted.map((r) => toTenant({ ...r, connectionName: connection.name })) };
  } catch (error) {
    if (violatedUniqueConstraint(error) !== null) {
      throw conflict("nothing registered: another request registered some of these tenants meanwhile");
    }
    throw error;
  }
}

/** Schema names on the connection's database matching `pattern`, or exactly those in `names`. */
async function schemasOn(connection: Connection, pattern: string | null, names?: string[]): Promise<string[]> {
  try {
    return await withFleetClient(await resolveConnectionOrThrow(connection.id), (client) => listSchemas(client, { pattern, names }));
  } catch (error) {
    if (error instanceof AppError) throw error;
    const { code, message } = describeConnectionError(error);
    throw new AppError("connection_failed", `listing schemas on ${connection.name} failed: ${message}`, { code, message });
  }
}

function duplicates(values: string[]): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  values.forEach((v, i) => {
    if (v && seen.has(v)) out.push(i);
    seen.add(v);
  });
  return out;
}
