import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { resetCatalogStore } from "../../server/migrations/plans/catalog-store";
import { onDatabase } from "../support/database";
import { EXAMPLES_DIR } from "../support/example-catalog";
import { legacyTenantSql } from "../support/legacy-tenant-sql";

/**
 * A fleet that existed before the console: tenant schemas built with plain SQL (what another tool
 * or a person ran), holding the objects of the example catalog's tenant tier up to 0004, with no
 * history table. The catalog starts without the newer files (`grow()` adds them).
 */

/** The example catalog's newer tenant files: what an adopted fleet takes after its baseline. */
export const NEWER = ["tenant/0005_invoices_due_date_index.sql", "tenant/0006_accounts_plan.sql"];

export function adoptionCatalog(): { dir: string; grow: () => void; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "adopt-catalog-"));
  cpSync(EXAMPLES_DIR, dir, { recursive: true });
  for (const f of NEWER) rmSync(path.join(dir, f));
  return {
    dir,
    grow: () => {
      for (const f of NEWER) cpSync(path.join(EXAMPLES_DIR, f), path.join(dir, f));
      resetCatalogStore();
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function buildLegacySchema(url: string, schema: string, opts?: Parameters<typeof legacyTenantSql>[1]) {
  await onDatabase(url, legacyTenantSql(schema, opts));
}
