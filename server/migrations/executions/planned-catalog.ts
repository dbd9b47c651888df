import type { TargetMigrationResult } from "../../domain/executions";
import type { Catalog } from "../engine/types";
import { getCatalogOrThrow } from "../plans/catalog-store";

/** Migration ids recorded for a target at planning time, in order. */
export function plannedIds(migrations: readonly TargetMigrationResult[]): string[] {
  return migrations.map((m) => `${m.tier}/${m.version}_${m.name}`);
}

export class CatalogChanged extends Error {
  constructor(
    message: string,
    readonly file: string | undefined,
  ) {
    super(message);
  }
}

/**
 * The catalog, provided it still has every planned migration with the checksum it was planned
 * with: a file edited between planning and running must not silently run in its new form. Looks at
 * the files again before refusing, in case this process's copy is older than the plan.
 */
export async function catalogWithPlanned(planned: readonly TargetMigrationResult[]): Promise<Catalog> {
  const mismatch = (catalog: Catalog) =>
    planned.find((m) => catalog.byId.get(`${m.tier}/${m.version}_${m.name}`)?.checksum !== m.checksum);
  let catalog = await getCatalogOrThrow();
  if (!mismatch(catalog)) return catalog;
  catalog = await getCatalogOrThrow({ maxAgeMs: 0 });
  const bad = mismatch(catalog);
  if (!bad) return catalog;
  const id = `${bad.tier}/${bad.version}_${bad.name}`;
  const now = catalog.byId.get(id);
  throw new CatalogChanged(
    now
      ? `${now.file} changed since the execution was planned (checksum ${bad.checksum.slice(0, 12)}… → ${now.checksum.slice(0, 12)}…); plan and execute again`
      : `${id} is no longer in the catalog; plan and execute again`,
    now?.file,
  );
}
